import { escapeXml, svgHistogram, svgLineChart, withoutMachinePaths } from '@metarec/evaluation';

import type { EvaluationRow, RunReportInput } from './run-report-input.js';

/** Options of {@link renderRunReport}. */
export interface RenderRunReportOptions {
  /** Absolute paths in the lineage and spec become relative to this directory (the run's). @defaultValue none: file names only */
  readonly pathBase?: string;
}

/** Steps of the training loss's moving average (a single meta-batch's loss is noisy). */
const SMOOTHING_STEPS = 25;

const CSS = `body{font-family:system-ui,sans-serif;margin:24px auto;max-width:1100px;color:#222;padding:0 16px}
h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:8px 0 16px;font-size:13px}th,td{padding:4px 8px;border-bottom:1px solid #eee;text-align:right}
th:first-child,td:first-child{text-align:left}th{background:#f6f6f6}td.best{background:#e3f4e8;font-weight:700}
.charts{display:flex;flex-wrap:wrap;gap:12px;align-items:flex-start}pre{background:#f6f6f6;padding:8px;font-size:12px;overflow:auto}.muted{color:#666;font-size:12px}`;

function num(v: number | null | undefined, digits = 3): string {
  return typeof v === 'number' && Number.isFinite(v) ? v.toFixed(digits) : '—';
}

function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function movingAverage(values: readonly number[], width: number): number[] {
  let sum = 0;
  return values.map((v, k) => {
    sum += v - (k >= width ? values[k - width] : 0);
    return sum / Math.min(k + 1, width);
  });
}

function dataSection(d: RunReportInput['data']): string {
  const values = d.ratingValues.map((r) => `<tr><td>${r.value}</td><td>${r.count}</td><td>${((100 * r.count) / Math.max(1, d.events)).toFixed(1)} %</td></tr>`).join('');
  const late = d.newUsers + d.newItems > 0 ? ` (${d.newUsers} users arriving late, ${d.newItems} items released late)` : '';
  return `<h2 id="data">Data</h2>
<p><b>${escapeXml(d.name)}</b>: ${d.users} users, ${d.items} items, ${d.events} interactions${late}; density ${((100 * d.events) / Math.max(1, d.users * d.items)).toFixed(2)} %; ratings per user ${d.ratingsPerUser.min} / ${d.ratingsPerUser.median} / ${d.ratingsPerUser.max} (min / median / max).</p>
<p>Events ${day(d.span.firstMs)} → ${day(d.span.lastMs)}, replayed through Kafka in event-time order, their times mapped (order and gaps kept) into the ${(d.replayWindowMs / 3_600_000).toFixed(0)} hours before the run. Produced ${(d.producedBytes / 2 ** 20).toFixed(2)} MiB; offline store ${(d.offlineStoreBytes / 2 ** 20).toFixed(2)} MiB.</p>
<table><tr><th>rating</th><th>count</th><th>share</th></tr>${values}</table>`;
}

function trainingSection(t: RunReportInput['training']): string {
  const steps = t.losses.map((_, k) => k + 1);
  const best = t.bestValidation;
  const chart = svgLineChart({
    title: 'Meta-training loss per step',
    xValues: steps,
    xTitle: 'meta-step',
    yTitle: 'loss (MSE of query ratings)',
    widthPx: 760,
    series: [
      { name: 'per step', values: t.losses },
      { name: `mean of ${SMOOTHING_STEPS} steps`, values: movingAverage(t.losses, SMOOTHING_STEPS) },
      ...(best === null ? [] : [{ name: 'best validation', values: steps.map((s) => (s === best.step ? best.loss : null)) }]),
    ],
  });
  const validation = best === null ? 'no validation users' : `validation loss ${num(best.loss, 4)} at step ${best.step} (the kept parameters; the trainer records the best validation only, not every one)`;
  return `<h2 id="training">Training</h2>
<p>${t.steps} meta-steps${t.stoppedEarly ? ' (stopped early by validation patience)' : ''} in ${(t.wallMs / 1000).toFixed(1)} s; parameters of step ${t.bestStep} kept; ${escapeXml(validation)}. ${escapeXml(t.settings)}</p>
${t.losses.length === 0 ? '<p class="muted">No loss history found (no checkpoint).</p>' : chart}`;
}

const COLUMNS: ReadonlyArray<{ key: keyof Omit<EvaluationRow, 'method' | 'kind'>; label: string; lower: boolean }> = [
  { key: 'mae', label: 'MAE ↓', lower: true },
  { key: 'rmse', label: 'RMSE ↓', lower: true },
  { key: 'ndcg10', label: 'nDCG@10', lower: false },
  { key: 'recall10', label: 'Recall@10', lower: false },
  { key: 'auc', label: 'AUC', lower: false },
];

function evaluationSection(e: RunReportInput['evaluation']): string {
  if (e === null) {
    return '<h2 id="evaluation">Evaluation</h2><p>The trainer ran no held-out evaluation.</p>';
  }
  const best = new Map(
    COLUMNS.map((c) => {
      const scored = e.rows.filter((r) => r[c.key] !== null) as Array<EvaluationRow & Record<typeof c.key, number>>;
      const top = scored.reduce<(typeof scored)[number] | undefined>((b, r) => (b === undefined || (c.lower ? r[c.key] < b[c.key] : r[c.key] > b[c.key]) ? r : b), undefined);
      return [c.key, top?.method];
    }),
  );
  const head = `<tr><th>method</th><th>kind</th>${COLUMNS.map((c) => `<th>${c.label}</th>`).join('')}</tr>`;
  const rows = e.rows
    .map((r) => `<tr><td>${escapeXml(r.method)}</td><td>${r.kind}</td>${COLUMNS.map((c) => `<td${best.get(c.key) === r.method ? ' class="best"' : ''}>${num(r[c.key])}</td>`).join('')}</tr>`)
    .join('\n');
  return `<h2 id="evaluation">Evaluation on held-out users</h2>
<p>${e.users} users the model never trained on; MAE/RMSE over their query ratings after the local update on their support ratings; best per column highlighted.${e.listNote === null ? '' : ` ${escapeXml(e.listNote)}`}</p>
<table>${head}\n${rows}</table>`;
}

function coldStartSection(c: RunReportInput['coldStart']): string {
  const chart = svgLineChart({
    title: 'Cold-start curve: MAE by support size',
    xValues: c.points.map((p) => p.support),
    xScale: 'log1p',
    xTitle: "ratings known of the user (first k of the support set, log scale)",
    yTitle: 'MAE (lower is better)',
    series: [
      { name: 'meta-learned model', values: c.points.map((p) => p.model) },
      { name: 'bias baseline', values: c.points.map((p) => p.bias) },
    ],
  });
  const rows = c.points.map((p) => `<tr><td>${p.support}</td><td>${num(p.model)}</td><td>${num(p.bias)}</td></tr>`).join('');
  return `<h2 id="cold-start">Cold start</h2>
<p>The same ${c.users} held-out users and query ratings at every point; support-size shrinkage κ ${c.shrinkage}.</p>
<div class="charts">${chart}<table><tr><th>support</th><th>model</th><th>bias</th></tr>${rows}<tr><td>all</td><td>${num(c.all.model)}</td><td>${num(c.all.bias)}</td></tr></table></div>`;
}

function latencySection(l: RunReportInput['latency']): string {
  const chart = svgHistogram({
    title: `Serving latency, ${l.samplesMs.length} sequential requests`,
    xTitle: 'ms per request (client side, loopback)',
    values: l.samplesMs,
    markers: [
      { label: 'p50', value: l.p50Ms },
      { label: 'p99', value: l.p99Ms },
    ],
  });
  const paths = Object.entries(l.paths)
    .map(([p, n]) => `${escapeXml(p)} ${n}`)
    .join(', ');
  return `<h2 id="latency">Serving latency</h2><p>p50 ${l.p50Ms} ms, p99 ${l.p99Ms} ms; answer paths: ${paths}.</p>${chart}`;
}

function lineageSection(input: RunReportInput, local: (text: string) => string): string {
  const rows = input.lineage.map((l) => `<tr><td>${escapeXml(l.key)}</td><td style="text-align:left">${escapeXml(local(l.value))}</td></tr>`).join('\n');
  const stages = Object.entries(input.stagesMs)
    .map(([k, v]) => `<tr><td>${escapeXml(k)}</td><td>${(v / 1000).toFixed(1)} s</td></tr>`)
    .join('');
  return `<h2 id="lineage">Lineage</h2><table>${rows}</table>
<h2 id="stages">Stages</h2><table>${stages}</table>
<h2 id="spec">Run spec</h2><pre>${escapeXml(local(JSON.stringify(input.spec, null, 2)))}</pre>`;
}

/**
 * The run report: one self-contained HTML page (inline CSS and SVG, no script, no external
 * resource) with the data, the training curve, the evaluation table with baselines, the
 * cold-start curve, the serving latency histogram and the lineage. The registry and serving links
 * work while the run's apps are up (`--keep-running`).
 */
export function renderRunReport(input: RunReportInput, options: RenderRunReportOptions = {}): string {
  const local = (text: string): string => withoutMachinePaths(text, options.pathBase === undefined ? {} : { base: options.pathBase });
  const title = `metarec run ${input.runId} — ${input.data.name}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeXml(title)}</title><style>${CSS}</style></head>
<body>
<h1>${escapeXml(title)}</h1>
<p class="muted">Written ${escapeXml(input.createdAt)} by <code>npm run pipeline</code>. Registry page <a href="${escapeXml(input.links.registryPage)}">${escapeXml(input.links.registryPage)}</a> and serving <code>${escapeXml(input.links.serving)}</code> answer while the run's apps are up: run the pipeline with <code>--keep-running</code> to keep them.</p>
${dataSection(input.data)}
${trainingSection(input.training)}
${evaluationSection(input.evaluation)}
${coldStartSection(input.coldStart)}
${latencySection(input.latency)}
${lineageSection(input, local)}
</body></html>
`;
}
