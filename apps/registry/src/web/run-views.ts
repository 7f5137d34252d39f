import { API_PREFIX, COLD_START_METRIC_PREFIX, EVAL_METRIC_PREFIX, RUN_METRIC_KEYS, RUN_STATUSES, type RunDetail, type RunMetricPoint, type RunRecord } from '@metarec/registry';

import { fmt, nextPageLink, tagList } from './format.js';
import { html, type SafeHtml } from './html.js';
import { type ChartSeries, lineChart } from './svg-chart.js';

/** The run list's filters as the page's form sends them. */
export interface RunListFilters {
  readonly experiment?: string;
  readonly q?: string;
  readonly status?: string;
  readonly tag?: string;
  readonly metric?: string;
}

function group(points: readonly RunMetricPoint[]): Map<string, ChartSeries['points'][number][]> {
  const out = new Map<string, ChartSeries['points'][number][]>();
  for (const p of points) {
    out.set(p.key, [...(out.get(p.key) ?? []), { x: p.step, y: p.value }]);
  }
  return out;
}

/**
 * A run's curves: training and validation loss on one chart, one chart per cold-start metric (a
 * line per method, x = support size), one per other metric logged at more than one step.
 */
export function curveCharts(history: readonly RunMetricPoint[]): SafeHtml {
  const byKey = group(history);
  const loss = lineChart({
    title: 'Training and validation loss',
    xLabel: 'step',
    yLabel: 'loss',
    testId: 'chart-loss',
    series: [RUN_METRIC_KEYS.trainLoss, RUN_METRIC_KEYS.validationLoss].map((key) => ({ name: key, points: byKey.get(key) ?? [] })),
  });
  const coldStart = new Map<string, ChartSeries[]>();
  const others: SafeHtml[] = [];
  for (const [key, points] of byKey) {
    if (key.startsWith(COLD_START_METRIC_PREFIX)) {
      const [metric = key, method = key] = key.slice(COLD_START_METRIC_PREFIX.length).split('/');
      coldStart.set(metric, [...(coldStart.get(metric) ?? []), { name: method, points }]);
    } else if (!key.startsWith(EVAL_METRIC_PREFIX) && !Object.values<string>(RUN_METRIC_KEYS).includes(key) && points.length > 1) {
      others.push(lineChart({ title: key, xLabel: 'step', yLabel: key, testId: `chart-${key.replace(/[^A-Za-z0-9_-]/g, '_')}`, series: [{ name: key, points }] }));
    }
  }
  const cold = [...coldStart].map(([metric, series]) => lineChart({ title: `Cold start: ${metric}`, xLabel: 'support size (ratings)', yLabel: metric, testId: `chart-cold-start-${metric}`, series }));
  return html`<div class="charts">${loss}${cold}${others}</div>`;
}

/** The `eval/<scenario>/<method>/<metric>` values as tables, one per scenario. */
function evaluationTables(history: readonly RunMetricPoint[]): SafeHtml {
  const scenarios = new Map<string, Map<string, Map<string, number>>>();
  for (const p of history.filter((h) => h.key.startsWith(EVAL_METRIC_PREFIX))) {
    const [scenario, method, metric] = p.key.slice(EVAL_METRIC_PREFIX.length).split('/');
    if (scenario !== undefined && method !== undefined && metric !== undefined) {
      const methods = scenarios.get(scenario) ?? new Map<string, Map<string, number>>();
      methods.set(method, (methods.get(method) ?? new Map<string, number>()).set(metric, p.value));
      scenarios.set(scenario, methods);
    }
  }
  if (scenarios.size === 0) {
    return html`<p class="muted">No evaluation logged.</p>`;
  }
  return html`${[...scenarios].map(([scenario, methods]) => {
    const names = [...new Set([...methods.values()].flatMap((m) => [...m.keys()]))];
    return html`<h3>${scenario}</h3><table data-testid="run-eval-${scenario}"><tr><th>method</th>${names.map((n) => html`<th>${n}</th>`)}</tr>
      ${[...methods].map(([method, values]) => html`<tr><td>${method}</td>${names.map((n) => html`<td class="num">${fmt(values.get(n))}</td>`)}</tr>`)}</table>`;
  })}`;
}

/** The run list: a filter form, a page of runs, a link to the next. */
export function runListPage(runs: readonly RunRecord[], nextPageToken: string | null, filters: RunListFilters): SafeHtml {
  const rows = runs.map(
    (r) => html`<tr data-testid="run-row-${r.runId}"><td><a href="/ui/runs/${r.runId}">${r.name}</a><br><code class="muted">${r.runId}</code></td><td>${r.experiment}</td>
      <td class="status-${r.status}">${r.status}</td><td>${r.startedAt}</td><td>${tagList(r.tags)}</td>
      <td class="num">${fmt(r.latestMetrics[RUN_METRIC_KEYS.trainLoss]?.value)}</td><td class="num">${fmt(r.latestMetrics[RUN_METRIC_KEYS.validationLoss]?.value)}</td></tr>`,
  );
  return html`<h1>Training runs</h1>
    <form method="get" action="/ui/runs" data-testid="run-filters">
      <input name="q" value="${filters.q ?? ''}" placeholder="name or id" aria-label="search">
      <select name="status" aria-label="status"><option value="">any status</option>${RUN_STATUSES.map((s) => html`<option${s === filters.status ? html` selected` : ''}>${s}</option>`)}</select>
      <input name="tag" value="${filters.tag ?? ''}" placeholder="tag key=value" aria-label="tag">
      <input name="metric" value="${filters.metric ?? ''}" placeholder="validation/loss<0.9" aria-label="metric">
      <input name="experiment" value="${filters.experiment ?? ''}" placeholder="experiment" aria-label="experiment"><button>filter</button></form>
    ${runs.length === 0 ? html`<p data-testid="no-runs">No runs match.</p>` : html`<table data-testid="runs"><tr><th>run</th><th>experiment</th><th>status</th><th>started</th><th>tags</th><th>train loss</th><th>validation loss</th></tr>${rows}</table>`}
    ${nextPageLink('/ui/runs', nextPageToken, { ...filters })}`;
}

/** One run: status, parameters, curves, evaluation, artifacts, the versions registered from it. */
export function runPage(run: RunDetail, history: readonly RunMetricPoint[]): SafeHtml {
  return html`<p><a href="/ui/runs">← all runs</a></p><h1>${run.name}</h1>
    <p><span class="status-${run.status}" data-testid="run-status">${run.status}</span> · experiment ${run.experiment} · started ${run.startedAt} by ${run.createdBy}${run.finishedAt === null ? '' : ` · ended ${run.finishedAt}`}</p>
    <p>${tagList(run.tags)}</p>
    <h2>Versions registered from this run</h2>${run.versions.length === 0 ? html`<p class="muted">none</p>` : html`<ul data-testid="run-versions">${run.versions.map((v) => html`<li><a href="/ui/models/${v.model}/versions/${v.version}">${v.model} v${v.version}</a>${v.archived ? ' (archived)' : ''}</li>`)}</ul>`}
    <h2>Curves</h2>${curveCharts(history)}
    <h2>Evaluation</h2>${evaluationTables(history)}
    <h2>Artifacts</h2>${run.artifacts.length === 0 ? html`<p class="muted">none</p>` : html`<ul data-testid="run-artifacts">${run.artifacts.map((a) => html`<li><a href="${API_PREFIX}/runs/${run.runId}/artifacts/${a.path}">${a.path}</a> (${a.bytes} B, <code>${a.sha256.slice(0, 12)}</code>)</li>`)}</ul>`}
    <h2>Parameters</h2><pre data-testid="run-params">${JSON.stringify(run.params, null, 2)}</pre>`;
}
