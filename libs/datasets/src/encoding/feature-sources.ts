/**
 * The profile fields the encoder reads. These are structural subsets of the record types of
 * `@metarec/schemas` (`UserProfile`, `ItemProfile`), so records pass straight in, and so do
 * lighter objects built by a serving request.
 */

/** A user as the encoder sees it. Missing attributes encode to the unknown index 0. */
export interface UserFeatureSource {
  readonly userId: string;
  /** Age group label, e.g. ML-1M's `"18"` for 18–24 (numbers are stringified). */
  readonly ageBucket?: string | number | null;
  readonly gender?: string | null;
  readonly occupation?: string | null;
  readonly region?: string | null;
}

/** An item as the encoder sees it. */
export interface ItemFeatureSource {
  readonly itemId: string;
  /** Category names (multi-hot); unknown names are ignored. */
  readonly categories?: readonly string[] | null;
  /** Release year (calendar year), or null when unknown. */
  readonly releaseYear?: number | null;
  /** Numeric attributes by name; a missing one encodes to 0 (the training mean). */
  readonly numeric?: Readonly<Record<string, number>> | null;
}
