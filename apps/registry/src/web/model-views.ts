import { type AliasEvent, API_PREFIX, type AliasRecord, type ModelRecord, tuningRows, tuningSummaryOf, type VersionRecord } from '@metarec/registry';

import { fmt, nextPageLink, tagList } from './format.js';
import { html, type SafeHtml } from './html.js';
import { type ChartSeries, lineChart } from './svg-chart.js';

/** The evaluation tables of a version: per scenario, each method's metrics (this model in bold). */
export function metricsTable(version: VersionRecord): SafeHtml {
  const metrics = version.manifest.metrics;
  if (metrics === undefined) {
    return html`<p>No evaluation metrics recorded.</p>`;
  }
  const blocks = Object.entries(metrics.scenarios).map(([scenario, methods]) => {
    const names = [...new Set(Object.values(methods).flatMap((m) => Object.keys(m)))];
    const rows = Object.entries(methods).map(
      ([method, values]) => html`<tr${method === metrics.method ? html` style="font-weight:600"` : ''}><td>${method}${method === metrics.method ? ' (this model)' : ''}</td>${names.map((n) => html`<td class="num">${fmt(values[n])}</td>`)}</tr>`,
    );
    return html`<h4>${scenario}</h4><table data-testid="metrics-${version.version}-${scenario}"><tr><th>method</th>${names.map((n) => html`<th>${n}</th>`)}</tr>${rows}</table>`;
  });
  return html`<p>Evaluation set <code>${metrics.evaluationSetId}</code></p>${blocks}`;
}

export function tuningTable(version: VersionRecord): SafeHtml {
  const tuning = tuningSummaryOf(version.manifest.lineage);
  if (tuning === null) {
    return html`<p>Not tuned.</p>`;
  }
  const rows = tuningRows(tuning);
  const columns = Object.keys(rows[0] ?? {});
  const cell = (v: unknown): string => (typeof v === 'number' && !Number.isInteger(v) ? fmt(v) : v === null || v === undefined ? '–' : String(v));
  return html`<p>Search <code>${tuning.tuneId}</code>: best trial ${tuning.best.trial}, ${tuning.objective} ${fmt(tuning.best.metric)} at ${tuning.best.steps} steps (${tuning.folds}-fold over training users, eta ${tuning.eta})${tuning.trialsOmitted > 0 ? `; ${tuning.trialsOmitted} more trials in ${tuning.resultsPath ?? 'the results file'}` : ''}</p>
    <table data-testid="tuning-${version.version}"><tr>${columns.map((c) => html`<th>${c}</th>`)}</tr>${rows.map((r) => html`<tr>${columns.map((c) => html`<td>${cell(r[c])}</td>`)}</tr>`)}</table>`;
}

function versionActions(model: string, v: VersionRecord): SafeHtml {
  const base = `${API_PREFIX}/models/${model}`;
  if (v.status.state === 'archived') {
    return html`<span class="muted">archived by ${v.status.archivedBy}${v.status.reason === '' ? '' : `: ${v.status.reason}`}</span>`;
  }
  return html`<div class="needs-auth">
      <form class="action" data-action="promote" data-base="${base}" data-version="${v.version}" data-testid="promote-${v.version}">
        <input name="alias" value="production" size="9" aria-label="alias"><input name="reason" placeholder="reason" size="12" aria-label="reason">
        <label><input type="checkbox" name="override"> override gate</label><button>promote</button></form>
      <form class="action" data-action="archive" data-base="${base}" data-version="${v.version}" data-testid="archive-${v.version}">
        <input name="reason" placeholder="reason" size="12" aria-label="reason"><button>archive</button></form></div>`;
}

function versionsTable(model: string, versions: readonly VersionRecord[], aliases: readonly AliasRecord[]): SafeHtml {
  const rows = versions.map((v) => {
    const tags = aliases.filter((a) => a.version === v.version).map((a) => html`<span class="alias" data-testid="alias-${a.alias}">${a.alias}</span>`);
    const report = v.manifest.files.find((f) => f.purpose === 'report' && f.contentType === 'text/html');
    const lineage = v.manifest.lineage;
    return html`<tr data-testid="version-row-${v.version}" class="${v.status.state === 'archived' ? 'archived' : ''}">
      <td class="num"><input type="checkbox" form="compare-form" name="v" value="${v.version}" aria-label="compare v${v.version}"> <a href="/ui/models/${model}/versions/${v.version}">v${v.version}</a></td><td>${tags}</td><td data-testid="status-${v.version}">${v.status.state}</td>
      <td>${v.description}${tagList(v.tags)}</td>
      <td>${v.createdAt}<br>by ${v.createdBy}</td>
      <td>run <a href="/ui/runs/${lineage.trainingRunId}"><code>${lineage.trainingRunId}</code></a><br>commit <code>${lineage.gitCommit}</code><br>data ≤ ${lineage.dataWatermark}<br>parent ${lineage.parentVersion === null ? '–' : `v${lineage.parentVersion}`}</td>
      <td>${report === undefined ? '–' : html`<a href="${API_PREFIX}/models/${model}/versions/${v.version}/files/${report.path}">report</a>`}
        · <a href="${API_PREFIX}/models/${model}/versions/${v.version}/bundle.tar.gz">bundle</a><br><code title="${v.contentSha256}">${v.contentSha256.slice(0, 12)}</code></td>
      <td>${versionActions(model, v)}</td></tr>`;
  });
  return html`<form id="compare-form" method="get" action="/ui/models/${model}/compare"><button data-testid="compare-button">compare selected</button></form>
    <table data-testid="versions"><tr><th>version</th><th>aliases</th><th>status</th><th>description, tags</th><th>registered</th><th>lineage</th><th>artifacts</th><th class="needs-auth">actions</th></tr>${rows}</table>`;
}

function historyTable(events: readonly AliasEvent[]): SafeHtml {
  if (events.length === 0) {
    return html`<p>No alias moves yet.</p>`;
  }
  const rows = events.map(
    (e) => html`<tr><td>${e.at}</td><td>${e.alias}</td><td>${e.fromVersion === null ? '–' : `v${e.fromVersion}`} → v${e.toVersion}</td>
      <td class="${e.kind === 'override' ? 'override' : ''}">${e.kind}</td><td>${e.actor}</td><td>${e.reason}</td></tr>`,
  );
  return html`<table data-testid="alias-history"><tr><th>at</th><th>alias</th><th>move</th><th>kind</th><th>who</th><th>reason</th></tr>${rows}</table>`;
}

function aliasList(model: string, aliases: readonly AliasRecord[]): SafeHtml {
  if (aliases.length === 0) {
    return html`<p>none</p>`;
  }
  const base = `${API_PREFIX}/models/${model}`;
  return html`<ul data-testid="aliases">${aliases.map(
    (a) => html`<li><b>${a.alias}</b> → v${a.version} <small>(since ${a.updatedAt})</small>
      <form class="action needs-auth" data-action="rollback" data-base="${base}" data-alias="${a.alias}" data-testid="rollback-${a.alias}"><input name="reason" placeholder="reason" size="14" aria-label="reason"><button>roll back</button></form></li>`,
  )}</ul>`;
}

/** This model's own metrics across versions, one chart per scenario (x = version number). */
export function metricsAcrossVersions(versions: readonly VersionRecord[]): SafeHtml {
  const byScenario = new Map<string, Map<string, ChartSeries['points'][number][]>>();
  for (const v of versions) {
    const m = v.manifest.metrics;
    for (const [scenario, methods] of Object.entries(m?.scenarios ?? {})) {
      for (const [metric, value] of Object.entries(methods[m?.method ?? ''] ?? {})) {
        if (value !== null) {
          const series = byScenario.get(scenario) ?? new Map<string, ChartSeries['points'][number][]>();
          series.set(metric, [...(series.get(metric) ?? []), { x: v.version, y: value }]);
          byScenario.set(scenario, series);
        }
      }
    }
  }
  if (byScenario.size === 0) {
    return html`<p class="muted">No metrics recorded.</p>`;
  }
  return html`<div class="charts">${[...byScenario].map(([scenario, series]) =>
    lineChart({ title: `${scenario}: metrics by version`, xLabel: 'version', yLabel: 'value', testId: `chart-versions-${scenario}`, series: [...series].map(([name, points]) => ({ name, points })) }),
  )}</div>`;
}

/** The model page body. */
export function modelPage(args: {
  readonly model: ModelRecord;
  readonly versions: readonly VersionRecord[];
  readonly nextPageToken: string | null;
  readonly aliases: readonly AliasRecord[];
  readonly history: readonly AliasEvent[];
}): SafeHtml {
  const name = args.model.name;
  return html`<p><a href="/">← all models</a> · <a href="/ui/runs?experiment=${name}">runs of ${name}</a></p><h1>${name}</h1><p>${args.model.description}</p>
      <h2>Aliases</h2>${aliasList(name, args.aliases)}
      <h2>Versions</h2>${versionsTable(name, args.versions, args.aliases)}${nextPageLink(`/ui/models/${name}`, args.nextPageToken)}
      <h2>Metrics across versions</h2>${metricsAcrossVersions(args.versions)}
      <h2>Alias history</h2>${historyTable(args.history)}
      <h2>Metrics</h2>${args.versions.map((v) => html`<h3>v${v.version}</h3>${metricsTable(v)}`)}
      <h2>Tuning</h2>${args.versions.map((v) => html`<h3>v${v.version}</h3>${tuningTable(v)}`)}`;
}
