import { ID_MAX_LENGTH } from '@metarec/schemas';
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

/** Default `k` when the caller gives none. */
export const DEFAULT_K = 20;
