import { createClientErrorHandler, type Logger } from '@metarec/runtime';
import { registerOpenApi, type ZodTypeProvider } from '@metarec/runtime/http';
import { ID_MAX_LENGTH } from '@metarec/schemas';
import { serverTimingHeader, type Recommendation, type ServingService } from '@metarec/serving';
import { fastify, type FastifyInstance, type FastifyReply } from 'fastify';
import type { Registry } from 'prom-client';

import { createErrorHandler, type ErrorBody, frameworkErrorHandler, PARSER_ERROR_CODES } from './errors.js';
import { DEFAULT_K, feedbackBodySchema, kQuerySchema, recommendBodySchema, userParamsSchema } from './request-schemas.js';
import {
  ERROR_RESPONSE,
  FEEDBACK_RESPONSE,
  LIVENESS_RESPONSE,
  METRICS_RESPONSE,
  ONBOARDING_RESPONSE,
  READINESS_RESPONSE,
  RECOMMENDATION_RESPONSE,
} from './response-schemas.js';

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

  // skip-override (what fastify-plugin sets): the routes join the root context, so tests and
  // `registeredRoutes` see them on `app`; registered as a plugin because `registerOpenApi` must
  // finish loading @fastify/swagger before the routes are added, and buildApp stays synchronous.
  const routes = Object.assign((root: FastifyInstance) => addRoutes(root, deps), { [Symbol.for('skip-override')]: true });
  app.register(routes);
  return app;
}

/** Version of the HTTP API (its paths start with `/v1`); model versions are per response. */
const API_VERSION = '1.0.0';

const error = (description: string): typeof ERROR_RESPONSE => ERROR_RESPONSE.describe(description);
const PROBE = { tags: ['operations'] } as const;
const INPUT_ERRORS = {
  400: error('Invalid request; `field` names the offending field'),
  500: error('Internal error (generic message; the log has the details)'),
  503: error('Not ready (no model loaded yet) or closing'),
} as const;

async function addRoutes(root: FastifyInstance, deps: ServingAppDeps): Promise<void> {
  const { service } = deps;
  await registerOpenApi(root, {
    title: 'metarec serving',
    version: API_VERSION,
    description: 'Recommendations with per-user fast adaptation, onboarding items for new users, feedback events to Kafka. Errors answer `{ code, message, field?, details? }`.',
    securitySchemes: { feedbackToken: { type: 'http', scheme: 'bearer', description: "The user's feedback session token from a recommendation or onboarding answer" } },
  });
  const app = root.withTypeProvider<ZodTypeProvider>();
  app.get(ROUTES.healthz, { schema: { ...PROBE, summary: 'Liveness', response: { 200: LIVENESS_RESPONSE } } }, async () => ({ status: 'ok' as const }));
  app.get(ROUTES.readyz, { schema: { ...PROBE, summary: 'Readiness: a model is loaded and shutdown has not begun', response: { 200: READINESS_RESPONSE, 503: READINESS_RESPONSE } } }, async (_request, reply) => {
    const ready = deps.accepting() && service.ready;
    return reply.code(ready ? 200 : 503).send({ ready, modelVersion: service.modelVersion, ...deps.readinessDetails?.() });
  });
  app.get(ROUTES.metrics, { schema: { ...PROBE, summary: 'Prometheus metrics', response: { 200: METRICS_RESPONSE } } }, async (_request, reply) =>
    reply.type(deps.registry.contentType).send(await deps.registry.metrics()),
  );

  const recommendationResponses = { 200: RECOMMENDATION_RESPONSE, ...INPUT_ERRORS };
  app.get(
    ROUTES.recommendations,
    { schema: { operationId: 'recommend', summary: 'Top-k items for a user, adapted to their recent interactions', params: userParamsSchema, querystring: kQuerySchema, response: recommendationResponses } },
    async (request, reply) => {
      const { userId } = request.params;
      const { k } = request.query;
      return withFeedbackToken(service, withServerTiming(reply, await service.recommender.recommend({ userId, k: k ?? DEFAULT_K })));
    },
  );
  app.post(
    ROUTES.recommendations,
    { schema: { operationId: 'recommendWithContext', summary: 'Top-k items for a user, excluding given items', params: userParamsSchema, body: recommendBodySchema, response: recommendationResponses } },
    async (request, reply) => {
      const { userId } = request.params;
      const body = request.body;
      return withFeedbackToken(service, withServerTiming(reply, await service.recommender.recommend({ userId, k: body.k ?? DEFAULT_K, exclude: body.exclude ?? [] })));
    },
  );
  app.get(
    ROUTES.onboarding,
    { schema: { operationId: 'onboarding', summary: 'Items to ask a new user about (most informative first)', params: userParamsSchema, querystring: kQuerySchema, response: { 200: ONBOARDING_RESPONSE, ...INPUT_ERRORS } } },
    async (request) => {
      const { userId } = request.params;
      const { k } = request.query;
      return withFeedbackToken(service, await service.onboarding.onboarding(userId, k ?? Math.min(DEFAULT_K, service.onboarding.maxK)));
    },
  );
  app.post(
    ROUTES.feedback,
    {
      schema: {
        operationId: 'feedback',
        summary: 'Record an interaction event (to Kafka); the next answer for the user adapts to it',
        security: [{ feedbackToken: [] }],
        body: feedbackBodySchema,
        response: {
          202: FEEDBACK_RESPONSE,
          ...INPUT_ERRORS,
          401: error('Missing or wrong feedback token, or a token of another user'),
          429: error('Too many events for this token (Retry-After)'),
          503: error('The event log is unavailable (Retry-After); nothing was recorded'),
        },
      },
    },
    async (request, reply) => {
      const receipt = await service.feedback.submit(request.body, request.headers.authorization);
      return reply.code(202).send({ accepted: true, partition: receipt.partition, offset: receipt.offset });
    },
  );
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
