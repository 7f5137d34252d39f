import type { Scenario } from '../protocol/scenario.js';
import type { EvaluationResults, MetricSummary, SeedStat } from '../runner/evaluation-results.js';
import type { MetricName } from '../runner/scenario-metrics.js';
import { LOWER_IS_BETTER, METRIC_NAMES } from '../runner/scenario-metrics.js';
import { escapeXml } from './escape-xml.js';
import { withoutMachinePaths } from './machine-paths.js';
import { svgLineChart } from './svg-line-chart.js';

/** Options of {@link renderHtmlReport}. */
export interface HtmlReportOptions {
  /** Page title. @defaultValue 'metarec evaluation' */
  readonly title?: string;
  /** Free text shown under the title (e.g. the exact command). */
  readonly note?: string;
  /**
   * Absolute paths in the header and the config become relative to this directory (others keep
   * only their file name): a report is shared, this machine's layout is not part of it.
   * @defaultValue none: every absolute path keeps only its file name
   */
  readonly pathBase?: string;
}

const METRIC_LABELS: Record<MetricName, string> = {
  mae: 'MAE ↓',
  rmse: 'RMSE ↓',
  nmae: 'MAE / range ↓',
  nrmse: 'RMSE / range ↓',
  ndcg3: 'nDCG@3 (query)',
  ndcg10: 'nDCG@10 (100 neg.)',
  recall10: 'Recall@10',
  auc: 'AUC',
  coverage: 'Coverage@10',
  novelty: 'Novelty (bits)',
};

const SCENARIO_LABELS: Record<Scenario, string> = {
  warm: 'Warm (training users, existing items)',
  new_user: 'New users, existing items',
  new_item: 'Existing users, new items',
  new_user_new_item: 'New users × new items',
};

const CSS = `body{font-family:system-ui,sans-serif;margin:24px auto;max-width:1200px;color:#222;padding:0 16px}
h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ddd}h3{font-size:15px}
table{border-collapse:collapse;margin:8px 0 16px;font-size:13px}th,td{padding:4px 8px;border-bottom:1px solid #eee;text-align:right}
th:first-child,td:first-child{text-align:left}th{background:#f6f6f6}td.best{background:#e3f4e8;font-weight:700}
.std{color:#777;font-size:11px}.charts{display:flex;flex-wrap:wrap;gap:12px}pre{background:#f6f6f6;padding:8px;font-size:12px;overflow:auto}
.muted{color:#666;font-size:12px}`;

function fmt(s: SeedStat | undefined, digits = 4): string {
  if (!s || s.mean === null) {
    return '—';
  }
  return `${s.mean.toFixed(digits)}<span class="std"> ± ${(s.std ?? 0).toFixed(digits)}</span>`;
}

function bestMethod(rows: ReadonlyArray<[string, MetricSummary]>, metric: MetricName): string | undefined {
  let best: string | undefined;
  let bestValue = 0;
  for (const [name, s] of rows) {
    const v = s[metric].mean;
    if (v === null) {
      continue;
    }
    const better = LOWER_IS_BETTER.has(metric) ? v < bestValue : v > bestValue;
    if (best === undefined || better) {
      best = name;
      bestValue = v;
    }
  }
  return best;
}

function metricTable(summary: Readonly<Record<string, MetricSummary>>): string {
  const rows = Object.entries(summary);
  // Coverage and novelty are descriptive (higher is not simply better), so they are not highlighted.
  const highlighted: MetricName[] = METRIC_NAMES.filter((m) => m !== 'coverage' && m !== 'novelty');
  const best = new Map(highlighted.map((m) => [m, bestMethod(rows, m)]));
  const head = `<tr><th>method</th>${METRIC_NAMES.map((m) => `<th>${METRIC_LABELS[m]}</th>`).join('')}<th>users</th></tr>`;
  const body = rows
    .map(([name, s]) => {
      const cells = METRIC_NAMES.map((m) => `<td${best.get(m) === name ? ' class="best"' : ''}>${fmt(s[m])}</td>`).join('');
      return `<tr><td>${escapeXml(name)}</td>${cells}<td>${fmt(s.users, 0)}</td></tr>`;
    })
    .join('\n');
  return `<table>${head}\n${body}</table>`;
}

function curveCharts(results: EvaluationResults, scenario: Scenario): string {
  const curve = results.curve[scenario];
  if (!curve) {
    return '';
  }
  const methods = Object.keys(curve);
  const first = curve[methods[0]] ?? [];
  if (first.length === 0) {
    return '';
  }
  const sizes = first.map((p) => p.supportSize);
  const users = first[0]?.users.mean ?? 0;
  const chart = (metric: 'mae' | 'ndcg10', title: string): string =>
    svgLineChart({
      title,
      xValues: sizes,
      xScale: 'log1p',
      xTitle: 'support-set size (interactions, log scale)',
      yTitle: metric === 'mae' ? 'MAE (lower is better)' : 'nDCG@10',
      series: methods
        .map((m) => ({ name: m, values: curve[m].map((p) => p[metric].mean), errors: curve[m].map((p) => p[metric].std) }))
        .filter((s) => s.values.some((v) => v !== null)),
    });
  return `<p class="muted">Cold-start curve: the same ${users.toFixed(0)} users (mean over seeds) at every point — those with at least ${sizes[sizes.length - 1] ?? 0} support items — support truncated to its first k random items; the query is unchanged.</p>
<div class="charts">${chart('mae', 'MAE vs support size')}${chart('ndcg10', 'nDCG@10 vs support size')}</div>`;
}

function activityTable(results: EvaluationResults, scenario: Scenario): string {
  const act = results.activity[scenario];
  if (!act) {
    return '';
  }
  const methods = Object.keys(act);
  const buckets = act[methods[0]] ?? [];
  const head = `<tr><th>method</th>${buckets.map((b) => `<th>support ${escapeXml(b.bucket)}<br><span class="std">${(b.users.mean ?? 0).toFixed(0)} users</span></th>`).join('')}</tr>`;
  const body = methods.map((m) => `<tr><td>${escapeXml(m)}</td>${act[m].map((b) => `<td>${fmt(b.mae)}</td>`).join('')}</tr>`).join('\n');
  return `<h3>MAE by user activity (support-set size)</h3><table>${head}\n${body}</table>`;
}

function fitTable(results: EvaluationResults): string {
  const head = '<tr><th>seed</th><th>method</th><th>fit s</th><th>chosen on training users</th><th>final loss</th></tr>';
  const rows = results.perSeed.flatMap((r) =>
    Object.entries(r.methods).map(([m, res]) => {
      const losses = res.fit.losses ?? [];
      const last = losses.length ? losses[losses.length - 1].toFixed(4) : '—';
      return `<tr><td>${r.seed}</td><td>${escapeXml(m)}</td><td>${(res.fit.fitMs / 1000).toFixed(1)}</td><td>${escapeXml(JSON.stringify(res.fit.chosen ?? {}))}</td><td>${last}</td></tr>`;
    }),
  );
  return `<table>${head}\n${rows.join('\n')}</table>`;
}

function splitTable(results: EvaluationResults): string {
  const head = `<tr><th>seed</th><th>test users</th><th>new items (cut)</th><th>training ratings</th>${results.scenarios.map((s) => `<th>${s}: tasks / support / query</th>`).join('')}</tr>`;
  const rows = results.perSeed.map(
    (r) =>
      `<tr><td>${r.seed}</td><td>${r.testUsers}</td><td>${r.newItems} (${escapeXml(r.newItemCutoff)})</td><td>${r.trainingRatings}</td>${results.scenarios
        .map((s) => `<td>${r.split[s].tasks} / ${r.split[s].supportRatings} / ${r.split[s].queryRatings}</td>`)
        .join('')}</tr>`,
  );
  return `<table>${head}\n${rows.join('\n')}</table>`;
}

function comparisonTable(results: EvaluationResults): string {
  if (results.comparison.length === 0) {
    return '';
  }
  const head = '<tr><th>metric</th><th>scenario</th><th>best meta-learner</th><th>value</th><th>best baseline</th><th>value</th><th>gain of meta-learner, % (paired per seed)</th></tr>';
  const rows = results.comparison.map(
    (c) =>
      `<tr><td>${c.metric}</td><td>${c.scenario}</td><td>${escapeXml(c.bestMetaLearner)}</td><td>${fmt(c.metaLearner)}</td><td>${escapeXml(c.bestBaseline)}</td><td>${fmt(c.baseline)}</td><td${(c.gainPct.mean ?? 0) > 0 ? ' class="best"' : ''}>${fmt(c.gainPct, 2)}</td></tr>`,
  );
  return `<h2>Meta-learner vs best baseline</h2><p class="muted">Baselines: ${results.methods.filter((m) => results.methodKinds[m] !== 'meta-learner').map(escapeXml).join(', ')} (ranking-only ones take part in the list metrics). Positive gain: the meta-learner is better (lower MAE, higher nDCG@10 / recall@10); negative: the best baseline wins.</p><table>${head}\n${rows.join('\n')}</table>`;
}

/** The rating scale and the clipping applied, from the results' config (runs before scales were recorded have neither). */
function scaleSentence(results: EvaluationResults): string {
  const scale = results.config['ratingScale'] as { min: number; max: number } | undefined;
  if (scale === undefined) {
    return '';
  }
  return `Rating scale ${scale.min}–${scale.max}: every method's rating predictions are clipped to it before MAE/RMSE (rankings use the scores as predicted); the positive threshold of the ranking metrics follows it (min + 0.75 · range unless given).`;
}

/**
 * Renders a self-contained HTML report (inline CSS and SVG, no script, no external URL):
 * per scenario the metric table (mean ± std over seeds, best per column highlighted), MAE by
 * activity bucket and the cold-start curves; then splits, fitted settings and the config.
 */
export function renderHtmlReport(results: EvaluationResults, options: HtmlReportOptions = {}): string {
  const local = (text: string): string => withoutMachinePaths(text, options.pathBase === undefined ? {} : { base: options.pathBase });
  const title = local(options.title ?? 'metarec evaluation');
  const sections = results.scenarios.map((s) => {
    const summary = results.summary[s];
    return `<h2>${escapeXml(SCENARIO_LABELS[s])}</h2>${summary ? metricTable(summary) : ''}${curveCharts(results, s)}${activityTable(results, s)}`;
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeXml(title)}</title><style>${CSS}</style></head>
<body>
<h1>${escapeXml(title)}</h1>
<p>Dataset <b>${escapeXml(local(results.dataset.name))}</b> (${results.dataset.users} users, ${results.dataset.items} items, ${results.dataset.ratings} ratings) ·
seeds ${results.seeds.join(', ')} · methods ${results.methods.map(escapeXml).join(', ')} · ${escapeXml(results.createdAt)}</p>
${options.note ? `<pre>${escapeXml(local(options.note))}</pre>` : ''}
<p class="muted">MeLU protocol: users 80/20 at random; items existing/new by release date; per scenario users with 13–100 ratings there; query = 10 random rated items, support = the rest.
Values are mean ± sample std over seeds. ${scaleSentence(results)} MAE/RMSE over all query ratings, on the data's scale and divided by its range (MAE / range, RMSE / range: comparable across data sets); nDCG@3 graded (2^r − 1) within the 10 query items (as the paper — inflated, only 10 candidates);
nDCG@10, Recall@10 and AUC rank the query positives (rating ≥ ${String(results.config['positiveThreshold'] ?? 4)}${results.config['positiveThresholdSource'] === 'option' ? ', given' : ''}) among 100 sampled items the user never rated (users without positives excluded);
Coverage@10 and Novelty from top-10 lists over the scenario's whole item pool. Best per column highlighted. No evaluation rating reaches training (asserted every seed).</p>
${comparisonTable(results)}
${sections.join('\n')}
<h2>Splits</h2>${splitTable(results)}
<h2>Fitting</h2>${fitTable(results)}
<h2>Config</h2><pre>${escapeXml(local(JSON.stringify(results.config, null, 2)))}</pre>
</body></html>
`;
}
