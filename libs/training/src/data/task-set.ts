import type { RatingScale } from '@metarec/datasets';
import type { FeatureLayout, UserTask } from '@metarec/schemas';

/** The offline-store high-water mark of one topic-partition a run trained on (offset as a decimal string). */
export interface DataWatermark {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

/**
 * What a run trains on. Coordinator and every worker build it from the same spec and must arrive
 * at the same `dataVersion` (a worker checks it, so a store that moved under a run fails loudly).
 */
export interface TaskSet {
  readonly featureLayout: FeatureLayout;
  readonly train: readonly UserTask[];
  readonly validation: readonly UserTask[];
  readonly test: readonly UserTask[];
  /** Content id of the data: `sha256:<hex>` over the source description and its watermarks. */
  readonly dataVersion: string;
  readonly watermarks: readonly DataWatermark[];
  /** Newest event time among the interactions trained on, epoch ms (null for synthetic data). */
  readonly dataWatermarkMs: number | null;
  /**
   * The closed range the ratings live in (the data set's recorded scale; the wire schema's bounds for
   * the offline store). The held-out evaluation clips every method's predictions to it and divides
   * MAE/RMSE by its range, as `metarec-eval` does.
   */
  readonly ratingScale: RatingScale;
  /** Fingerprint of the record schema the rows were read with. */
  readonly schemaFingerprint: string;
  /** Encoder state needed to encode requests like training did (saved in the model bundle). */
  readonly vocabularies: unknown;
}
