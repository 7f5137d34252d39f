import { createClientErrorHandler, type Logger } from '@metarec/runtime';
import { ID_MAX_LENGTH } from '@metarec/schemas';
import { serverTimingHeader, type Recommendation, type ServingService } from '@metarec/serving';
import { fastify, type FastifyInstance, type FastifyReply } from 'fastify';
import type { Registry } from 'prom-client';

import { createErrorHandler, frameworkErrorHandler, PARSER_ERROR_CODES, parseOr400, type ErrorBody } from './errors.js';
import { ONBOARDING_RESPONSE, RECOMMENDATION_RESPONSE } from './response-schemas.js';
import { DEFAULT_K, kQuerySchema, recommendBodySchema, userParamsSchema } from './request-schemas.js';

/** Probe and API paths (the deployment manifests' probes are checked against these). */
export const ROUTES = {
  healthz: '/healthz',
  readyz: '/readyz',
  metrics: '/metrics',
  recommendations: '/v1/users/:userId/recommendations',
  onboarding: '/v1/users/:userId/onboarding',
  feedback: '/v1/feedback',
} as const;

/** What the HTTP server is built from (created in `main.ts`, or by tests). */
export interface ServingAppDeps {
  readonly service: ServingService;
  readonly registry: Registry;
  /** `/readyz` is 200 only while this holds and a model is loaded (false from SIGTERM on). */
  readonly accepting: () => boolean;
  /** Largest JSON body, bytes. @defaultValue 1 MiB */
  readonly bodyLimitBytes?: number;
  /** Where 5xx responses are logged (once each, with their code). */
  readonly logger: Logger;
  /** Extra `/readyz` fields, e.g. `fallback` while an earlier version serves because the alias's bundle was refused. */
  readonly readinessDetails?: () => Record<string, unknown>;
}

/** The serving app's HTTP surface: routes translate HTTP to `ServingService` calls and back. Never listens. */
export function buildApp(deps: ServingAppDeps): FastifyInstance {
  const { service } = deps;
  // No per-request logging: at thousands of requests per second it would cost more than the ranking.
  // maxParamLength above the id limit, so a too-long id reaches the validator and gets a 400 naming `userId` (not fastify's bare 414).
  // What Node's parser and the router refuse (431, 414, bytes that are not HTTP) gets the documented body too.
  const app = fastify({
    logger: false,
    bodyLimit: deps.bodyLimitBytes ?? 1_048_576,
    return503OnClosing: true,
    maxParamLength: 4 * ID_MAX_LENGTH,
    frameworkErrors: frameworkErrorHandler,
    clientErrorHandler: createClientErrorHandler(PARSER_ERROR_CODES),
  });
  app.setErrorHandler(createErrorHandler(deps.logger));
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ code: 'SERVING_NOT_FOUND', message: `no route ${request.method} ${request.url.split('?')[0].slice(0, 200)}` } satisfies ErrorBody),
  );
  app.addHook('onResponse', async (request, reply) => {
    service.metrics?.httpDuration.observe(
      { route: request.routeOptions.url ?? 'unmatched', method: request.method, status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  app.get(ROUTES.healthz, async () => ({ status: 'ok' }));
  app.get(ROUTES.readyz, async (_request, reply) => {
    const ready = deps.accepting() && service.ready;
    return reply.code(ready ? 200 : 503).send({ ready, modelVersion: service.modelVersion, ...deps.readinessDetails?.() });
  });
  app.get(ROUTES.metrics, async (_request, reply) => reply.type(deps.registry.contentType).send(await deps.registry.metrics()));

  app.get(ROUTES.recommendations, { schema: { response: { 200: RECOMMENDATION_RESPONSE } } }, async (request, reply) => {
    const { userId } = parseOr400(userParamsSchema, request.params, 'params');
    const { k } = parseOr400(kQuerySchema, request.query, 'query');
    return withFeedbackToken(service, withServerTiming(reply, await service.recommender.recommend({ userId, k: k ?? DEFAULT_K })));
  });
  app.post(ROUTES.recommendations, { schema: { response: { 200: RECOMMENDATION_RESPONSE } } }, async (request, reply) => {
    const { userId } = parseOr400(userParamsSchema, request.params, 'params');
    const body = parseOr400(recommendBodySchema, request.body ?? {}, 'body');
    return withFeedbackToken(service, withServerTiming(reply, await service.recommender.recommend({ userId, k: body.k ?? DEFAULT_K, exclude: body.exclude ?? [] })));
  });
  app.get(ROUTES.onboarding, { schema: { response: { 200: ONBOARDING_RESPONSE } } }, async (request) => {
    const { userId } = parseOr400(userParamsSchema, request.params, 'params');
    const { k } = parseOr400(kQuerySchema, request.query, 'query');
    return withFeedbackToken(service, await service.onboarding.onboarding(userId, k ?? Math.min(DEFAULT_K, service.onboarding.maxK)));
  });
  app.post(ROUTES.feedback, async (request, reply) => {
    const receipt = await service.feedback.submit(request.body, request.headers.authorization);
    return reply.code(202).send({ accepted: true, partition: receipt.partition, offset: receipt.offset });
  });
  return app;
}

/**
 * Puts the per-stage timings in a `Server-Timing` header (plus `handler`: fastify's time up to the
 * end of the handler). The body's serializer (the response schema) leaves `timings` out.
 */
function withServerTiming(reply: FastifyReply, recommendation: Recommendation): Recommendation {
  reply.header('server-timing', `${serverTimingHeader(recommendation.timings)}, handler;dur=${reply.elapsedTime.toFixed(3)}`);
  return recommendation;
}

/** Adds the user's feedback session token to a response when the pod issues them (`FEEDBACK_SIGNING_KEY`). */
function withFeedbackToken<T extends { readonly userId: string }>(service: ServingService, body: T): T & { feedbackToken?: string } {
  const token = service.feedbackAuth.issue(body.userId, Date.now());
  return token === null ? body : { ...body, feedbackToken: token };
}
