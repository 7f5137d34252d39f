// JSON Schemas of the 200 bodies: fastify compiles them into a serializer (fast-json-stringify),
// cheaper than JSON.stringify, and fields not listed here (the recommendation's `timings`, which
// travel in the Server-Timing header) never reach the client.

const stringArray = { type: 'array', items: { type: 'string' } } as const;

/** Body of `GET|POST /v1/users/:userId/recommendations`. */
export const RECOMMENDATION_RESPONSE = {
  type: 'object',
  required: ['userId', 'modelVersion', 'path', 'items', 'candidateCount', 'supportCount', 'degraded'],
  properties: {
    userId: { type: 'string' },
    modelVersion: { type: 'integer' },
    path: { type: 'string', enum: ['cold', 'adapted', 'cached'] },
    items: {
      type: 'array',
      items: { type: 'object', required: ['itemId', 'score'], properties: { itemId: { type: 'string' }, score: { type: 'number' } } },
    },
    candidateCount: { type: 'integer' },
    supportCount: { type: 'integer' },
    degraded: stringArray,
    /** The user's feedback session token (when the pod has a signing key): `Authorization: Bearer <it>` on POST /v1/feedback. */
    feedbackToken: { type: 'string' },
  },
} as const;

/** Body of `GET /v1/users/:userId/onboarding`. */
export const ONBOARDING_RESPONSE = {
  type: 'object',
  required: ['userId', 'modelVersion', 'items', 'degraded'],
  properties: {
    userId: { type: 'string' },
    modelVersion: { type: 'integer' },
    items: {
      type: 'array',
      items: {
        type: 'object',
        required: ['itemId', 'evidence', 'popularity', 'discrimination'],
        properties: { itemId: { type: 'string' }, evidence: { type: 'number' }, popularity: { type: 'number' }, discrimination: { type: 'number' } },
      },
    },
    degraded: stringArray,
    /** The user's feedback session token (when the pod has a signing key): `Authorization: Bearer <it>` on POST /v1/feedback. */
    feedbackToken: { type: 'string' },
  },
} as const;
