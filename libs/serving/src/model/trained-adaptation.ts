import { z } from 'zod';

/** How a model adapts to a user: inner SGD steps, step size and support-size shrinkage. */
export interface AdaptationSettings {
  readonly steps: number;
  readonly lr: number;
  /** Support-size shrinkage κ: each step × n/(n+κ) for n ratings (meta-learning's `AdaptOptions.shrinkage`); 0: none. */
  readonly shrinkage: number;
}

/** Used when neither the operator nor the bundle says otherwise (MeLU's 5 steps, no shrinkage). */
export const FALLBACK_ADAPTATION: AdaptationSettings = { steps: 5, lr: 0.01, shrinkage: 0 };

// The trainer writes its run spec into the bundle's extra.json (`lineage.spec.inner`) and, since
// shrinkage calibration, the local update it chose (`lineage.adaptation`); only the fields serving
// needs are read, so other lineage changes never refuse a bundle.
const lineageInner = z.object({
  lineage: z.object({
    spec: z.object({ inner: z.object({ steps: z.number().int().min(0).max(100), lr: z.number().nonnegative() }) }),
    adaptation: z.object({ shrinkage: z.number().nonnegative().finite() }).optional(),
  }),
});

/**
 * The local update a bundle was meta-trained (and calibrated) for, from its `extra.json`, or null
 * when the bundle does not record it (models saved outside the trainer). A meta-learned prior is
 * tuned for exactly these steps and step size, and its shrinkage was chosen on validation users
 * for them: adapting otherwise at request time is a silent train/serve skew, so serving uses them
 * unless the operator overrides them. Bundles from before calibration carry no shrinkage: 0.
 */
export function trainedAdaptation(extra: unknown): AdaptationSettings | null {
  const parsed = lineageInner.safeParse(extra);
  if (!parsed.success) {
    return null;
  }
  const { spec, adaptation } = parsed.data.lineage;
  return { steps: spec.inner.steps, lr: spec.inner.lr, shrinkage: adaptation?.shrinkage ?? 0 };
}

/** Operator override (each field separately) → the bundle's trained settings → {@link FALLBACK_ADAPTATION}. */
export function effectiveAdaptation(override: Partial<AdaptationSettings>, trained: AdaptationSettings | null): AdaptationSettings {
  const base = trained ?? FALLBACK_ADAPTATION;
  return { steps: override.steps ?? base.steps, lr: override.lr ?? base.lr, shrinkage: override.shrinkage ?? base.shrinkage };
}
