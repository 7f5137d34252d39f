import { fastify, type FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';

/** One readiness check: a name and whether it passes now. */
export type ReadinessCheck = () => Promise<boolean> | boolean;

/** What the probe server is built from. */
export interface IngestAppDeps {
  readonly registry: Registry;
  /** `/readyz` is 200 only when all pass (e.g. `kafka`, `redis`). */
  readonly readiness: Readonly<Record<string, ReadinessCheck>>;
  /** `/healthz` is 503 once this is false (the pipeline failed for good). */
  readonly alive: () => boolean;
}

async function runChecks(checks: Readonly<Record<string, ReadinessCheck>>): Promise<Record<string, boolean>> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => {
      try {
        return [name, await check()] as const;
      } catch {
        return [name, false] as const;
      }
    }),
  );
  return Object.fromEntries(entries);
}

/** The ingest app's HTTP surface: liveness, readiness and Prometheus metrics. Never listens. */
export function buildApp(deps: IngestAppDeps): FastifyInstance {
  // No request logging: probes and scrapes every few seconds would drown the pipeline's lines.
  const app = fastify({ logger: false });
  app.get('/healthz', async (_request, reply) => {
    const ok = deps.alive();
    return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'failed' });
  });
  app.get('/readyz', async (_request, reply) => {
    const checks = await runChecks(deps.readiness);
    const ready = Object.values(checks).every(Boolean);
    return reply.code(ready ? 200 : 503).send({ ready, checks });
  });
  app.get('/metrics', async (_request, reply) => {
    const body = await deps.registry.metrics();
    return reply.type(deps.registry.contentType).send(body);
  });
  return app;
}
