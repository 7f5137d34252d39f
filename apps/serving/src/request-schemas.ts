import { ID_MAX_LENGTH, INTERACTION_EVENT_TYPES, RATING_MAX, RATING_MIN } from '@metarec/schemas';
import { z } from 'zod';

/** `:userId`: a non-empty id as the interaction schema accepts it. */
export const userParamsSchema = z.strictObject({ userId: z.string().min(1).max(ID_MAX_LENGTH) });

/**
 * `?k=`: how many items, as decimal digits (range checked by the lib against its maxK). `Number()`
 * would also take `0x10`, `1e1` or ` 16`; unknown query keys are refused.
 */
export const kQuerySchema = z.strictObject({
  k: z
    .string()
    .regex(/^\d{1,9}$/, 'must be a decimal integer')
    .transform(Number)
    .optional(),
});

/** Body of `POST /v1/users/:userId/recommendations`: request context. */
export const recommendBodySchema = z.strictObject({
  k: z.number().int().optional(),
  /** Items not to return (already shown, in the basket). */
  exclude: z.array(z.string().min(1).max(ID_MAX_LENGTH)).max(10_000).optional(),
});

/**
 * What the document shows of `POST /v1/feedback`'s body: one interaction event (schema
 * `interaction` v1). The service validates it with @metarec/schemas' interaction schema (the one
 * ingest applies to Kafka events), after the feedback token check and with that schema's own error
 * fields, so the route accepts any body and this is documentation only.
 */
const feedbackEventShape = z.strictObject({
  user_id: z.string().min(1).max(ID_MAX_LENGTH),
  item_id: z.string().min(1).max(ID_MAX_LENGTH),
  event_type: z.enum(INTERACTION_EVENT_TYPES),
  value: z.number().min(0).nullable().optional().describe(`a rating's stars (required, ${RATING_MIN}–${RATING_MAX}, for event_type rating); otherwise optional, >= 0`),
  timestamp_ms: z.number().int().describe('event time, epoch ms UTC'),
  session_id: z.string().min(1).max(ID_MAX_LENGTH).nullable().optional(),
  device: z.string().nullable().optional(),
});

/** Route schema of the feedback body: accepts anything (see `feedbackEventShape`), documents the event. */
export const feedbackBodySchema = z.unknown().meta(z.toJSONSchema(feedbackEventShape, { target: 'draft-2020-12', io: 'input' }));

/** Default `k` when the caller gives none. */
export const DEFAULT_K = 20;
