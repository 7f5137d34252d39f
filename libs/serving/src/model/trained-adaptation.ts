import { z } from 'zod';

/** How a model adapts to a user: inner SGD steps and step size. */
export interface AdaptationSettings {
  readonly steps: number;
  readonly lr: number;
}

/** Used when neither the operator nor the bundle says otherwise (MeLU's 5 steps). */
export const FALLBACK_ADAPTATION: AdaptationSettings = { steps: 5, lr: 0.01 };

// The trainer writes its run spec into the bundle's extra.json (`lineage.spec.inner`); only the
// two fields serving needs are read, so other lineage changes never refuse a bundle.
const lineageInner = z.object({
  lineage: z.object({
    spec: z.object({ inner: z.object({ steps: z.number().int().min(0).max(100), lr: z.number().nonnegative() }) }),
  }),
});

/**
 * The inner-loop settings a bundle was meta-trained with, from its `extra.json`, or null when the
 * bundle does not record them (models saved outside the trainer). A meta-learned prior is tuned
 * for exactly these steps and step size: adapting with others at request time is a silent
 * train/serve skew, so serving uses them unless the operator overrides them.
 */
export function trainedAdaptation(extra: unknown): AdaptationSettings | null {
  const parsed = lineageInner.safeParse(extra);
  return parsed.success ? { steps: parsed.data.lineage.spec.inner.steps, lr: parsed.data.lineage.spec.inner.lr } : null;
}

/** Operator override (each field separately) → the bundle's trained settings → {@link FALLBACK_ADAPTATION}. */
export function effectiveAdaptation(override: Partial<AdaptationSettings>, trained: AdaptationSettings | null): AdaptationSettings {
  const base = trained ?? FALLBACK_ADAPTATION;
  return { steps: override.steps ?? base.steps, lr: override.lr ?? base.lr };
}
