import {
  type AliasEvent,
  type AliasManager,
  API_PREFIX,
  type AliasRecord,
  type ModelRegistry,
  tuningRows,
  tuningSummaryOf,
  type VersionRecord,
  validateModelName,
} from '@metarec/registry';
import type { FastifyInstance } from 'fastify';

import { type AuthSettings, authHook } from '../http/auth-hook.js';
import { param } from '../http/request-input.js';
import { html, page, type SafeHtml } from './html.js';

/** What the web pages need. */
export interface WebRoutesDeps {
  readonly registry: ModelRegistry;
  readonly aliases: AliasManager;
  readonly auth: AuthSettings;
}

function fmt(value: number | null | undefined): string {
  return typeof value === 'number' ? value.toFixed(4) : '–';
}

function metricsTable(version: VersionRecord): SafeHtml {
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

function tuningTable(version: VersionRecord): SafeHtml {
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

function versionsTable(model: string, versions: readonly VersionRecord[], aliases: readonly AliasRecord[]): SafeHtml {
  const rows = versions.map((v) => {
    const tags = aliases.filter((a) => a.version === v.version).map((a) => html`<span class="alias" data-testid="alias-${a.alias}">${a.alias}</span>`);
    const report = v.manifest.files.find((f) => f.purpose === 'report' && f.contentType === 'text/html');
    const lineage = v.manifest.lineage;
    return html`<tr data-testid="version-row-${v.version}" class="${v.status.state === 'archived' ? 'archived' : ''}">
      <td class="num">v${v.version}</td><td>${tags}</td><td>${v.status.state}</td>
      <td>${v.createdAt}<br>by ${v.createdBy}</td>
      <td><code>${v.schemaFingerprint}</code></td>
      <td>run <code>${lineage.trainingRunId}</code><br>commit <code>${lineage.gitCommit}</code><br>data ≤ ${lineage.dataWatermark}<br>parent ${lineage.parentVersion === null ? '–' : `v${lineage.parentVersion}`}</td>
      <td>${report === undefined ? '–' : html`<a href="${API_PREFIX}/models/${model}/versions/${v.version}/files/${report.path}">report</a>`}
        · <a href="${API_PREFIX}/models/${model}/versions/${v.version}/bundle.tar.gz">bundle</a></td>
      <td><code title="${v.contentSha256}">${v.contentSha256.slice(0, 12)}</code></td></tr>`;
  });
  return html`<table data-testid="versions"><tr><th>version</th><th>aliases</th><th>status</th><th>registered</th><th>schema</th><th>lineage</th><th>artifacts</th><th>content sha256</th></tr>${rows}</table>`;
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

/** Server-rendered pages: `/` lists models, `/ui/models/:model` shows one model in full. */
export function registerWebRoutes(app: FastifyInstance, deps: WebRoutesDeps): void {
  const guard = authHook(deps.auth, 'read');
  app.get('/', { onRequest: guard }, async (_request, reply) => {
    const models = await deps.registry.listModels();
    const rows = await Promise.all(
      models.map(async (m) => {
        const aliases = await deps.aliases.list(m.name);
        return html`<tr><td><a href="/ui/models/${m.name}">${m.name}</a></td><td class="num">${m.versionCount}</td>
          <td>${aliases.map((a) => html`<span class="alias">${a.alias} → v${a.version}</span>`)}</td><td>${m.description}</td></tr>`;
      }),
    );
    const body = html`<h1>metarec model registry</h1>
      <table data-testid="models"><tr><th>model</th><th>versions</th><th>aliases</th><th>description</th></tr>${rows}</table>
      <p><a href="/openapi.json">OpenAPI document</a></p>`;
    return reply.type('text/html; charset=utf-8').send(page('metarec model registry', body));
  });
  app.get('/ui/models/:model', { onRequest: guard }, async (request, reply) => {
    const name = validateModelName(param(request.params, 'model'), 'model');
    const [model, versions, aliases, history] = await Promise.all([
      deps.registry.getModel(name),
      deps.registry.listVersions(name),
      deps.aliases.list(name),
      deps.aliases.history(name, undefined, 200),
    ]);
    const body = html`<p><a href="/">← all models</a></p><h1>${model.name}</h1><p>${model.description}</p>
      <h2>Aliases</h2>${aliases.length === 0 ? html`<p>none</p>` : html`<ul data-testid="aliases">${aliases.map((a) => html`<li><b>${a.alias}</b> → v${a.version} <small>(since ${a.updatedAt})</small></li>`)}</ul>`}
      <h2>Versions</h2>${versionsTable(name, versions, aliases)}
      <h2>Alias history</h2>${historyTable(history)}
      <h2>Metrics</h2>${versions.map((v) => html`<h3>v${v.version}</h3>${metricsTable(v)}`)}
      <h2>Tuning</h2>${versions.map((v) => html`<h3>v${v.version}</h3>${tuningTable(v)}`)}`;
    return reply.type('text/html; charset=utf-8').send(page(`${name} · metarec model registry`, body));
  });
}
