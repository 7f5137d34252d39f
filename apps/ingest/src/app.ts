import { fastify, type FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';

/** The outcome of a readiness check: passes or not, with details to show when it does not. */
export type ReadinessResult = boolean | { readonly ok: boolean; readonly details: unknown };

/** One readiness check: a name and whether it passes now. */
export type ReadinessCheck = () => Promise<ReadinessResult> | ReadinessResult;

/** What the probe server is built from. */
export interface IngestAppDeps {
  readonly registry: Registry;
  /** `/readyz` is 200 only when all pass (e.g. `kafka`, `redis`). */
  readonly readiness: Readonly<Record<string, ReadinessCheck>>;
  /** `/healthz` is 503 once this is false (the pipeline failed for good). */
  readonly alive: () => boolean;
}

async function runChecks(checks: Readonly<Record<string, ReadinessCheck>>): Promise<{ checks: Record<string, boolean>; details: Record<string, unknown> }> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]): Promise<readonly [string, ReadinessResult]> => {
      try {
        return [name, await check()] as const;
      } catch (error) {
        // A throwing check is a failing one; its message is the detail (probes are internal).
        return [name, { ok: false, details: error instanceof Error ? error.message : String(error) }] as const;
      }
    }),
  );
  const out: { checks: Record<string, boolean>; details: Record<string, unknown> } = { checks: {}, details: {} };
  for (const [name, result] of entries) {
    out.checks[name] = typeof result === 'boolean' ? result : result.ok;
    if (typeof result !== 'boolean' && !result.ok) {
      out.details[name] = result.details;
    }
  }
  return out;
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
    const { checks, details } = await runChecks(deps.readiness);
    const ready = Object.values(checks).every(Boolean);
    const body = Object.keys(details).length === 0 ? { ready, checks } : { ready, checks, details };
    return reply.code(ready ? 200 : 503).send(body);
  });
  app.get('/metrics', async (_request, reply) => {
    const body = await deps.registry.metrics();
    return reply.type(deps.registry.contentType).send(body);
  });
  return app;
}
