/**
 * The model-input contract shared by datasets (which encode records), meta-learning (which
 * consumes them) and serving. Records are strings and lists at the edge; models see dense
 * integer indices. A `FeatureLayout` says how many fields there are and how large each
 * vocabulary is; the vocabularies themselves (string → index) travel with the model bundle.
 */

/** One categorical field: its name and vocabulary size. Index 0 is reserved for "unknown / missing". */
export interface CategoricalField {
  readonly name: string;
  /** Number of distinct indices including the reserved 0 ("unknown"). */
  readonly cardinality: number;
}

/** The shape of every encoded row, fixed for the lifetime of a model. */
export interface FeatureLayout {
  /** User categorical fields in row order, e.g. user_id, age_bucket, gender, occupation, region. */
  readonly userFields: readonly CategoricalField[];
  /** Item categorical fields in row order, e.g. item_id, release_year_bucket. */
  readonly itemFields: readonly CategoricalField[];
  /** Size of the item-category vocabulary (multi-hot width, e.g. 19 genres on MovieLens). */
  readonly categoryCount: number;
  /** Number of numeric item attributes per row (already standardised by the encoder). */
  readonly numericCount: number;
}
