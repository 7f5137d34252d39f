/**
 * The profile fields the encoder reads: structural subsets of `UserProfile` and `ItemProfile`
 * of `@metarec/schemas`, so records pass straight in, and so do lighter objects built by a
 * serving request. Missing or null attributes encode to the unknown index 0.
 */

/** A user as the encoder sees it. */
export interface UserFeatureSource {
  readonly user_id: string;
  /** Age group label, e.g. ML-1M's `"18"` for 18–24. */
  readonly age_bucket?: string | null;
  readonly gender?: string | null;
  readonly occupation?: string | null;
  readonly region?: string | null;
}

/** An item as the encoder sees it. */
export interface ItemFeatureSource {
  readonly item_id: string;
  /** Category names (multi-hot); names unseen at fit time are ignored. */
  readonly categories?: readonly string[] | null;
  /** Release year (calendar year), or null when unknown. */
  readonly release_year?: number | null;
  /** Numeric attributes by name; a missing one encodes to 0 (the training mean). */
  readonly numeric_attributes?: Readonly<Record<string, number>> | null;
}
