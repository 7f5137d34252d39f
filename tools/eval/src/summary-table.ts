import type { EvaluationResults, MetricName } from '@metarec/evaluation';

/** A plain-text summary (one block per scenario: method, MAE, RMSE, their values divided by the scale's range, nDCG@3, nDCG@10, AUC as mean ± std) for the terminal. */
export function summaryTable(results: EvaluationResults, metrics: readonly MetricName[] = ['mae', 'rmse', 'nmae', 'nrmse', 'ndcg3', 'ndcg10', 'recall10', 'auc']): string {
  const lines: string[] = [];
  for (const s of results.scenarios) {
    lines.push(`\n## ${s} (seeds ${results.seeds.join(',')})`);
    lines.push(`| method | ${metrics.join(' | ')} |`);
    lines.push(`|---|${metrics.map(() => '---').join('|')}|`);
    for (const [m, sum] of Object.entries(results.summary[s] ?? {})) {
      const cells = metrics.map((k) => (sum[k].mean === null ? '—' : `${sum[k].mean.toFixed(4)} ± ${(sum[k].std ?? 0).toFixed(4)}`));
      lines.push(`| ${m} | ${cells.join(' | ')} |`);
    }
  }
  if (results.comparison.length > 0) {
    lines.push('\n## best meta-learner vs best baseline (gain % paired per seed, positive = meta-learner better)');
    lines.push('| metric | scenario | best meta-learner | best baseline | gain |');
    lines.push('|---|---|---|---|---|');
    for (const c of results.comparison) {
      const f = (x: { mean: number | null; std: number | null }, d = 4): string => (x.mean === null ? '—' : `${x.mean.toFixed(d)} ± ${(x.std ?? 0).toFixed(d)}`);
      lines.push(`| ${c.metric} | ${c.scenario} | ${c.bestMetaLearner} ${f(c.metaLearner)} | ${c.bestBaseline} ${f(c.baseline)} | ${f(c.gainPct, 2)} % |`);
    }
  }
  return lines.join('\n');
}
