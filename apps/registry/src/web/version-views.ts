import { API_PREFIX, type RunMetricPoint, type VersionComparison, type VersionRecord, type VersionSeries } from '@metarec/registry';

import { fmt, tagList } from './format.js';
import { html, type SafeHtml } from './html.js';
import { metricsTable } from './model-views.js';
import { curveCharts } from './run-views.js';
import { lineChart } from './svg-chart.js';

/** One version: metadata (editable by signed-in users), lineage, tables and its run's curves. */
export function versionPage(v: VersionRecord, history: readonly RunMetricPoint[] | null): SafeHtml {
  const base = `${API_PREFIX}/models/${v.model}`;
  const lineage = v.manifest.lineage;
  return html`<p><a href="/ui/models/${v.model}">← ${v.model}</a></p><h1>${v.model} v${v.version}</h1>
    <p data-testid="version-description">${v.description === '' ? html`<span class="muted">no description</span>` : v.description}</p>
    <p data-testid="version-tags">${tagList(v.tags)}</p>
    ${v.metaUpdatedBy === null ? '' : html`<p class="muted">metadata edited ${v.metaUpdatedAt} by ${v.metaUpdatedBy}</p>`}
    <form class="action needs-auth" data-action="edit" data-base="${base}" data-version="${v.version}" data-testid="edit-${v.version}">
      <input name="description" value="${v.description}" size="40" aria-label="description">
      <input name="tags" placeholder="set tags: key=value, ..." size="24" aria-label="set tags">
      <input name="remove" placeholder="remove tags: key, ..." size="16" aria-label="remove tags"><button>save metadata</button></form>
    <table><tr><th>status</th><td>${v.status.state}</td></tr><tr><th>registered</th><td>${v.createdAt} by ${v.createdBy}</td></tr>
      <tr><th>content sha256</th><td><code>${v.contentSha256}</code> (immutable)</td></tr><tr><th>schema</th><td><code>${v.schemaFingerprint}</code></td></tr>
      <tr><th>run</th><td><a href="/ui/runs/${lineage.trainingRunId}">${lineage.trainingRunId}</a></td></tr><tr><th>commit</th><td><code>${lineage.gitCommit}</code></td></tr>
      <tr><th>files</th><td>${v.manifest.files.map((f) => html`<a href="${base}/versions/${v.version}/files/${f.path}">${f.path}</a> (${f.bytes} B) `)}</td></tr></table>
    <h2>Run curves</h2>${history === null ? html`<p class="muted">The registry has no run record for ${lineage.trainingRunId}.</p>` : curveCharts(history)}
    <h2>Metrics</h2>${metricsTable(v)}`;
}

/** `yLabel` names the measured quantity: `loss` of `train/loss`, `mae` of `cold_start/mae/melu`. */
function seriesCharts(byKey: Readonly<Record<string, readonly VersionSeries[]>>, xLabel: string, prefix: string, yLabel: (key: string) => string): SafeHtml {
  const keys = Object.keys(byKey).sort();
  if (keys.length === 0) {
    return html`<p class="muted">None of these versions' runs logged any.</p>`;
  }
  return html`<div class="charts">${keys.map((key) =>
    lineChart({
      title: key,
      xLabel,
      yLabel: yLabel(key),
      testId: `${prefix}-${key.replace(/[^A-Za-z0-9_-]/g, '_')}`,
      series: (byKey[key] ?? []).map((s) => ({ name: `v${s.version}`, points: s.points.map((p) => ({ x: p.step, y: p.value })) })),
    }),
  )}</div>`;
}

/** Versions side by side: tables (best value of each row marked), training and cold-start curves. */
export function comparePage(c: VersionComparison): SafeHtml {
  const rows = c.rows.map(
    (r) => html`<tr><td>${r.scenario}</td><td>${r.method}</td><td>${r.metric}</td>${r.values.map((value) => html`<td class="num">${fmt(value)}</td>`)}</tr>`,
  );
  return html`<p><a href="/ui/models/${c.model}">← ${c.model}</a></p><h1>${c.model}: ${c.versions.map((v) => `v${v}`).join(' vs ')}</h1>
    ${c.comparable ? html`<p data-testid="comparable">All versions were evaluated on the same held-out users.</p>` : html`<p class="override" data-testid="not-comparable">Evaluation sets differ (${c.evaluationSetIds.map((id) => id ?? 'none').join(', ')}): the numbers are not comparable.</p>`}
    <h2>Evaluation</h2><table data-testid="compare-table"><tr><th>scenario</th><th>method</th><th>metric</th>${c.versions.map((v) => html`<th><a href="/ui/models/${c.model}/versions/${v}">v${v}</a></th>`)}</tr>${rows}</table>
    <h2>Training curves</h2>${seriesCharts(c.training, 'step', 'compare-training', (key) => key.split('/').at(-1) ?? key)}
    <h2>Cold-start curves</h2>${seriesCharts(c.coldStart, 'support size (ratings)', 'compare-cold-start', (key) => key.split('/').at(-2) ?? key)}`;
}
