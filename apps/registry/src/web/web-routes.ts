import {
  type AliasManager,
  compareVersions,
  type ModelRegistry,
  parseMetricFilter,
  parseTagFilter,
  parseVersionNumber,
  RegistryError,
  type RunMetricPoint,
  RUN_STATUSES,
  type RunStatus,
  type RunStore,
  validateModelName,
} from '@metarec/registry';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';

import { type AuthSettings, authHook } from '../http/auth-hook.js';
import { param, parseInput } from '../http/request-input.js';
import { ACTIONS_SCRIPT } from './actions-script.js';
import { nextPageLink } from './format.js';
import { html, page, PAGE_CSP, SCRIPT_PATH } from './html.js';
import { modelPage } from './model-views.js';
import { runListPage, runPage } from './run-views.js';
import { comparePage, versionPage } from './version-views.js';

/** What the web pages need. */
export interface WebRoutesDeps {
  readonly registry: ModelRegistry;
  readonly runs: RunStore;
  readonly aliases: AliasManager;
  readonly auth: AuthSettings;
}

/** Versions per model page, runs per run-list page: pages stay quick with whole manifests in them. */
const WEB_PAGE_SIZE = 20;
/** Alias moves shown on a model page. */
const HISTORY_ROWS = 200;

const pageQuery = z.object({ pageToken: z.string().min(1).max(200).optional() });
const runListQuery = pageQuery.extend({
  experiment: z.string().max(64).optional(),
  q: z.string().max(200).optional(),
  status: z.union([z.enum(RUN_STATUSES), z.literal('')]).optional(),
  tag: z.string().max(700).optional(),
  metric: z.string().max(300).optional(),
});
const compareQuery = z.object({ v: z.union([z.string(), z.array(z.string())]).optional() });

function sendPage(reply: FastifyReply, title: string, body: ReturnType<typeof html>): FastifyReply {
  return reply.type('text/html; charset=utf-8').header('content-security-policy', PAGE_CSP).header('x-content-type-options', 'nosniff').send(page(title, body));
}

/** Metric history of a run, or null when the registry has no record of it. */
async function historyOrNull(runs: RunStore, runId: string): Promise<RunMetricPoint[] | null> {
  try {
    return await runs.metricHistory(runId);
  } catch (error) {
    if (error instanceof RegistryError && (error.code === 'REG_RUN_NOT_FOUND' || error.code === 'REG_INVALID_NAME')) {
      return null;
    }
    throw error;
  }
}

/**
 * Server-rendered pages (readable without script): models, a model, a version, a comparison,
 * runs, a run; plus the one same-origin script that drives the actions.
 */
export function registerWebRoutes(app: FastifyInstance, deps: WebRoutesDeps): void {
  const guard = authHook(deps.auth, 'read');
  app.get(SCRIPT_PATH, (_request, reply) => reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(ACTIONS_SCRIPT));

  app.get('/', { onRequest: guard }, async (request, reply) => {
    const q = parseInput(pageQuery, request.query, 'query');
    const models = await deps.registry.listModels({ limit: WEB_PAGE_SIZE, ...(q.pageToken === undefined ? {} : { pageToken: q.pageToken }) });
    const rows = await Promise.all(
      models.items.map(async (m) => {
        const aliases = await deps.aliases.list(m.name);
        return html`<tr><td><a href="/ui/models/${m.name}">${m.name}</a></td><td class="num">${m.versionCount}</td>
          <td>${aliases.map((a) => html`<span class="alias">${a.alias} → v${a.version}</span>`)}</td><td>${m.description}</td></tr>`;
      }),
    );
    const body = html`<h1>metarec model registry</h1>
      <table data-testid="models"><tr><th>model</th><th>versions</th><th>aliases</th><th>description</th></tr>${rows}</table>${nextPageLink('/', models.nextPageToken)}`;
    return sendPage(reply, 'metarec model registry', body);
  });

  app.get('/ui/models/:model', { onRequest: guard }, async (request, reply) => {
    const name = validateModelName(param(request.params, 'model'), 'model');
    const q = parseInput(pageQuery, request.query, 'query');
    const [model, versions, aliases, history] = await Promise.all([
      deps.registry.getModel(name),
      deps.registry.listVersions(name, { limit: WEB_PAGE_SIZE, ...(q.pageToken === undefined ? {} : { pageToken: q.pageToken }) }),
      deps.aliases.list(name),
      deps.aliases.history(name, undefined, HISTORY_ROWS),
    ]);
    return sendPage(reply, `${name} · metarec model registry`, modelPage({ model, versions: versions.items, nextPageToken: versions.nextPageToken, aliases, history }));
  });

  app.get('/ui/models/:model/versions/:version', { onRequest: guard }, async (request, reply) => {
    const name = validateModelName(param(request.params, 'model'), 'model');
    const version = await deps.registry.getVersion(name, parseVersionNumber(param(request.params, 'version'), 'version'));
    const history = await historyOrNull(deps.runs, version.manifest.lineage.trainingRunId);
    return sendPage(reply, `${name} v${version.version} · metarec model registry`, versionPage(version, history));
  });

  app.get('/ui/models/:model/compare', { onRequest: guard }, async (request, reply) => {
    const name = validateModelName(param(request.params, 'model'), 'model');
    const raw = parseInput(compareQuery, request.query, 'query').v;
    const versions = (raw === undefined ? [] : Array.isArray(raw) ? raw : [raw]).map((v) => parseVersionNumber(v, 'v'));
    const comparison = await compareVersions({ registry: deps.registry, runs: deps.runs, model: name, versions });
    return sendPage(reply, `${name} compare · metarec model registry`, comparePage(comparison));
  });

  app.get('/ui/runs', { onRequest: guard }, async (request, reply) => {
    const q = parseInput(runListQuery, request.query, 'query');
    const text = (value: string | undefined): string | undefined => (value === undefined || value.trim() === '' ? undefined : value.trim());
    const [tag, metric, search, experiment] = [text(q.tag), text(q.metric), text(q.q), text(q.experiment)];
    const status: RunStatus | undefined = q.status === '' ? undefined : q.status;
    const result = await deps.runs.listRuns(
      {
        ...(experiment === undefined ? {} : { experiment }),
        ...(search === undefined ? {} : { search }),
        ...(status === undefined ? {} : { status }),
        ...(tag === undefined ? {} : { tags: Object.fromEntries([parseTagFilter(tag)]) }),
        ...(metric === undefined ? {} : { metric: parseMetricFilter(metric) }),
      },
      { limit: WEB_PAGE_SIZE, ...(q.pageToken === undefined ? {} : { pageToken: q.pageToken }) },
    );
    return sendPage(reply, 'runs · metarec model registry', runListPage(result.items, result.nextPageToken, { experiment, q: search, status, tag, metric }));
  });

  app.get('/ui/runs/:runId', { onRequest: guard }, async (request, reply) => {
    const runId = param(request.params, 'runId');
    const [run, history] = await Promise.all([deps.runs.getRun(runId), deps.runs.metricHistory(runId)]);
    return sendPage(reply, `${run.name} · runs · metarec model registry`, runPage(run, history));
  });
}
