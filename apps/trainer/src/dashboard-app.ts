import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { MAX_LIST_RUNS, type DashboardAuth, type RunProgress, type TrainerQueues } from '@metarec/training';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Registry } from 'prom-client';

import { DASHBOARD_PATHS, renderRunsPage } from './runs-page.js';

/** Dependencies of the dashboard server. */
export interface DashboardServerDeps {
  /** Metrics registry with the queue gauges (served on `/metrics`). */
  readonly registry: Registry;
  /** The trainer's queues, shown on the board. */
  readonly queues: TrainerQueues['queues'];
  /** The most recent runs with progress and ETA. */
  readonly listRuns: (limit: number) => Promise<RunProgress[]>;
  /** Checks the `Authorization` header of every page and API call (not the probes). */
  readonly auth: DashboardAuth;
  /** True until shutdown begins. */
  readonly healthy: () => boolean;
  /** True while healthy and Redis is connected. */
  readonly ready: () => boolean;
  /** Clock, ms since epoch. @defaultValue Date.now */
  readonly now?: () => number;
}

/** Rows on the run list unless `?limit=` says otherwise. */
const DEFAULT_RUN_LIMIT = 50;
/** Realm of the Basic challenge, so a browser asks for the token (as the password). */
const CHALLENGE = 'Basic realm="metarec trainer dashboard", charset="UTF-8"';

function requireToken(auth: DashboardAuth): (request: FastifyRequest, reply: FastifyReply) => Promise<void> {
  return async (request, reply) => {
    const result = auth.check(request.headers.authorization);
    if (result === 'ok') {
      return;
    }
    // 401 for a wrong token too: a browser only asks again after a 401 with a challenge.
    await reply
      .code(401)
      .header('www-authenticate', CHALLENGE)
      .send({ code: result === 'missing' ? 'DASHBOARD_AUTH_MISSING' : 'DASHBOARD_AUTH_INVALID', message: result === 'missing' ? 'a token is required (Bearer, or Basic with the token as password)' : 'the token is not valid' });
  };
}

/**
 * Refuses a state-changing request whose `Origin` is another site: a browser holding the Basic
 * credentials sends them with a cross-site form post too, and bull-board takes `POST /api/queues/:q/add`.
 */
async function sameOriginWrites(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const origin = request.headers.origin;
  if (request.method === 'GET' || request.method === 'HEAD' || origin === undefined) {
    return;
  }
  let host: string | null;
  try {
    host = new URL(origin).host;
  } catch {
    // An unparsable Origin is treated as foreign: refused below.
    host = null;
  }
  if (host !== request.headers.host) {
    await reply.code(403).send({ code: 'DASHBOARD_CROSS_SITE', message: `writes from origin ${origin} are refused` });
  }
}

const SINGLE_RETRY = /^\/api\/queues\/([^/]+)\/([^/]+)\/retry$/;
const BULK_RETRY = /^\/api\/queues\/([^/]+)\/retry\/([^/?]+)$/;

/**
 * Refuses retries of completed jobs, which bull-board's API performs even with
 * `allowCompletedRetries: false` (that flag only hides its button): a completed run job retried
 * would train its run again. Retries of failed jobs pass.
 */
function refuseCompletedRetries(queues: DashboardServerDeps['queues']): (request: FastifyRequest, reply: FastifyReply) => Promise<void> {
  return async (request, reply) => {
    if (request.method !== 'PUT') {
      return;
    }
    const path = decodeURIComponent(request.url.split('?')[0] ?? '').slice(DASHBOARD_PATHS.board.length);
    const bulk = BULK_RETRY.exec(path);
    const single = bulk === null ? SINGLE_RETRY.exec(path) : null;
    let state: string | null = bulk === null ? null : (bulk[2] ?? null);
    if (single !== null) {
      const queue = queues.find((q) => q.name === single[1]);
      state = queue === undefined ? null : await queue.getJobState(single[2] ?? '');
    }
    if (state === 'completed') {
      await reply.code(405).send({ code: 'DASHBOARD_RETRY_REFUSED', message: 'completed jobs are not retried from the dashboard (a run job would train its run again)' });
    }
  };
}

function runLimit(query: unknown): number | null {
  const raw = (query as { limit?: unknown } | undefined)?.limit;
  if (raw === undefined) {
    return DEFAULT_RUN_LIMIT;
  }
  const n = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : NaN;
  return n >= 1 && n <= MAX_LIST_RUNS ? n : null;
}

/**
 * The trainer dashboard (never listens; `main.ts` does): bull-board over the trainer's queues at
 * `/board` (queue depth, job inspection, retry of failed jobs), the run list at `/runs` (HTML) and
 * `/api/runs` (JSON), all behind the dashboard token; `/healthz`, `/readyz`, `/metrics` open for
 * probes and Prometheus. Completed jobs cannot be retried from the board: a completed run job would
 * start its run again.
 */
export async function buildDashboardServer(deps: DashboardServerDeps): Promise<FastifyInstance> {
  const now = deps.now ?? Date.now;
  const app = Fastify({ logger: false });
  app.get('/healthz', async (_request, reply) => {
    const ok = deps.healthy();
    return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable' });
  });
  app.get('/readyz', async (_request, reply) => {
    const ok = deps.ready();
    return reply.code(ok ? 200 : 503).send({ status: ok ? 'ready' : 'not ready' });
  });
  app.get('/metrics', async (_request, reply) => {
    return reply.type(deps.registry.contentType).send(await deps.registry.metrics());
  });
  await app.register(async (guarded) => {
    guarded.addHook('onRequest', requireToken(deps.auth));
    guarded.addHook('onRequest', sameOriginWrites);
    guarded.addHook('onRequest', refuseCompletedRetries(deps.queues));
    const board = new FastifyAdapter();
    board.setBasePath(DASHBOARD_PATHS.board);
    // `allowCompletedRetries` is read by the adapter but missing from its options type.
    const adapterOptions = { allowRetries: true, allowCompletedRetries: false };
    createBullBoard({
      queues: deps.queues.map((queue) => new BullMQAdapter(queue, adapterOptions)),
      serverAdapter: board,
      options: { uiConfig: { boardTitle: 'metarec trainer', miscLinks: [{ text: 'Runs', url: DASHBOARD_PATHS.runs }], hideDocsLink: true } },
    });
    await guarded.register(board.registerPlugin(), { prefix: DASHBOARD_PATHS.board });
    guarded.get('/', async (_request, reply) => reply.redirect(DASHBOARD_PATHS.runs));
    guarded.get(DASHBOARD_PATHS.runsJson, async (request, reply) => {
      const limit = runLimit(request.query);
      if (limit === null) {
        return reply.code(400).send({ code: 'DASHBOARD_QUERY_INVALID', field: 'limit', message: `limit must be an integer in 1..${MAX_LIST_RUNS}` });
      }
      return { runs: await deps.listRuns(limit) };
    });
    guarded.get(DASHBOARD_PATHS.runs, async (request, reply) => {
      const limit = runLimit(request.query);
      if (limit === null) {
        return reply.code(400).send({ code: 'DASHBOARD_QUERY_INVALID', field: 'limit', message: `limit must be an integer in 1..${MAX_LIST_RUNS}` });
      }
      return reply.type('text/html; charset=utf-8').send(renderRunsPage(await deps.listRuns(limit), now()));
    });
  });
  return app;
}
