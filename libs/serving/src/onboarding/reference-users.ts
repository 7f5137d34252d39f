import type { UserFeatureSource } from '@metarec/datasets';

import type { ServingModel } from '../model/serving-model.js';

const ATTRIBUTES = ['age_bucket', 'gender', 'occupation', 'region'] as const;
/** Distinct odd strides so the reference profiles cover different combinations of tokens. */
const STRIDES = [1, 3, 5, 7] as const;

/**
 * `count` synthetic profiles spanning the encoder's attribute vocabularies (profile r takes
 * token `(r · stride_f) mod size_f` of each attribute): a population to measure how much the
 * prior's prediction for an item varies across kinds of users.
 */
export function referenceUsers(model: ServingModel, count: number): UserFeatureSource[] {
  const vocabularies = ATTRIBUTES.map((name) => model.encoder.vocabulary(name).tokens());
  return Array.from({ length: count }, (_, r) => {
    const user: Record<string, string | null> = { user_id: `__reference_${r}` };
    ATTRIBUTES.forEach((name, f) => {
      const tokens = vocabularies[f];
      user[name] = tokens.length === 0 ? null : tokens[(r * STRIDES[f]) % tokens.length];
    });
    return user as unknown as UserFeatureSource;
  });
}
