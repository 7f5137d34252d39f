import { z } from 'zod';

// The response schemas of the serving API: fastify checks each 200 body against its schema before
// sending it (fastify-type-provider-zod's serializer), fields not listed here (the recommendation's
// `timings`, which travel in the Server-Timing header) never reach the client, and the OpenAPI
// document shows them.

const feedbackToken = z.string().optional().describe("The user's feedback session token (when the pod has a signing key): `Authorization: Bearer <it>` on POST /v1/feedback");
const modelVersion = z.number().int().describe('registry version of the model that answered');

/** Body of `GET|POST /v1/users/:userId/recommendations`. */
export const RECOMMENDATION_RESPONSE = z.object({
  userId: z.string(),
  modelVersion,
  path: z.enum(['cold', 'adapted', 'cached']).describe('cold: no support set; adapted: adapted now; cached: adapted weights reused'),
  items: z.array(z.object({ itemId: z.string(), score: z.number() })).readonly(),
  candidateCount: z.number().int(),
  supportCount: z.number().int().describe("the user's interactions the model adapted to"),
  degraded: z.array(z.string()).readonly().describe('stages that fell back (e.g. a feature read timed out)'),
  feedbackToken,
});

/** Body of `GET /v1/users/:userId/onboarding`. */
export const ONBOARDING_RESPONSE = z.object({
  userId: z.string(),
  modelVersion,
  items: z.array(z.object({ itemId: z.string(), evidence: z.number(), popularity: z.number(), discrimination: z.number() })).readonly(),
  degraded: z.array(z.string()).readonly(),
  feedbackToken,
});

/** Body of `POST /v1/feedback` (202). */
export const FEEDBACK_RESPONSE = z.object({
  accepted: z.literal(true),
  partition: z.number().int().describe('Kafka partition of the event (-1 when unknown)'),
  offset: z.string().describe('Kafka offset of the event, as a decimal string'),
});

/** Body of `GET /readyz`; extra fields (`fallback`) explain a degraded state. */
export const READINESS_RESPONSE = z.looseObject({ ready: z.boolean(), modelVersion: z.number().int().nullable() });

/** Body of `GET /healthz`. */
export const LIVENESS_RESPONSE = z.object({ status: z.literal('ok') });

/** Body of `GET /metrics` (Prometheus text format). */
export const METRICS_RESPONSE = { description: 'Prometheus text format', content: { 'text/plain': { schema: z.string() } } } as const;

/** Body of every error response. */
export const ERROR_RESPONSE = z.object({
  code: z.string().describe('stable error code, e.g. SERVING_INPUT_INVALID'),
  message: z.string(),
  field: z.string().optional().describe('the offending request field (`userId`, `query.k`, `body.exclude`, a feedback event field)'),
  details: z.record(z.string(), z.unknown()).optional(),
});
