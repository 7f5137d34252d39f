import Fastify, { type FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';

/** Dependencies of the worker's probe server. */
export interface ProbeServerDeps {
  readonly registry: Registry;
  /** True while the BullMQ workers run and shutdown has not begun. */
  readonly healthy: () => boolean;
  /** True while healthy and the Redis connection is up (a worker without Redis takes no jobs). */
  readonly ready: () => boolean;
}

/** Builds the worker's `/healthz`, `/readyz` and `/metrics` server (never listens; `main.ts` does). */
export function buildProbeServer(deps: ProbeServerDeps): FastifyInstance {
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
  return app;
}
