import { isRegistryError, type ModelRegistry } from '@metarec/registry';
import type { FastifyInstance } from 'fastify';
import { Counter, Histogram, type Registry } from 'prom-client';
import { z } from 'zod';

/** What the probes and the metrics endpoint need. */
export interface OpsRoutesDeps {
  readonly registry: ModelRegistry;
  readonly metrics: Registry;
  /** False once shutdown starts (readiness goes first, STYLE.md). */
  readonly isReady: () => boolean;
}

const PROBE = { tags: ['operations'] } as const;
const readySchema = z.object({ status: z.literal('ready') });
const notReadySchema = z.object({ status: z.enum(['shutting-down', 'unavailable']), reason: z.string().optional().describe('error code of the failed database check') });

/** Instruments every request and serves `/healthz`, `/readyz`, `/metrics` (`/openapi.json` and `/docs` come from `registerOpenApi`). */
export function registerOpsRoutes(app: FastifyInstance, deps: OpsRoutesDeps): void {
  const duration = new Histogram({
    name: 'metarec_registry_http_request_duration_seconds',
    help: 'HTTP request duration by route template, method and status',
    labelNames: ['route', 'method', 'status'],
    // Read path target is p99 <= 5 ms, so the buckets are fine below 10 ms.
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1, 0.5, 2.5, 30],
    registers: [deps.metrics],
  });
  const errors = new Counter({ name: 'metarec_registry_http_errors_total', help: 'Error responses by code', labelNames: ['code'], registers: [deps.metrics] });
  app.addHook('onResponse', (request, reply, done) => {
    duration.observe({ route: request.routeOptions.url ?? 'unmatched', method: request.method, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    done();
  });
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (reply.statusCode >= 400 && typeof payload === 'string' && payload.startsWith('{"code":')) {
      const code = /^\{"code":"([A-Z_]+)"/.exec(payload)?.[1] ?? 'unknown';
      errors.inc({ code });
    }
    done(null, payload);
  });

  app.get('/healthz', { schema: { ...PROBE, summary: 'Liveness', response: { 200: z.object({ status: z.literal('ok') }) } } }, () => ({ status: 'ok' as const }));
  app.get('/readyz', { schema: { ...PROBE, summary: 'Readiness: the database answers and shutdown has not begun', response: { 200: readySchema, 503: notReadySchema } } }, async (_request, reply) => {
    if (!deps.isReady()) {
      return reply.status(503).send({ status: 'shutting-down' });
    }
    try {
      await deps.registry.ping();
      return { status: 'ready' };
    } catch (error) {
      app.log.warn({ err: error }, 'readiness check failed');
      // The code only: the message may name hosts, ports or paths, and probes are unauthenticated.
      return reply.status(503).send({ status: 'unavailable', reason: isRegistryError(error) ? error.code : 'REG_INTERNAL' });
    }
  });
  const metricsText = { description: 'Prometheus text format', content: { 'text/plain': { schema: z.string() } } };
  app.get('/metrics', { schema: { ...PROBE, summary: 'Prometheus metrics', response: { 200: metricsText } } }, async (_request, reply) => reply.type(deps.metrics.contentType).send(await deps.metrics.metrics()));
}
