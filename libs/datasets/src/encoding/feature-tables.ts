/**
 * Users and items encoded once, as flat typed arrays, so that building rows for millions of
 * interactions is a gather by row number rather than a lookup per rating.
 */

/** Encoded users: row `r` holds the user fields of `ids[r]` at `fields[r*U .. r*U+U)`. */
export interface EncodedUserTable {
  readonly count: number;
  /** User fields per row (`layout.userFields.length`). */
  readonly fieldCount: number;
  readonly ids: readonly string[];
  /** `count × userFields.length` vocabulary indices. */
  readonly fields: Int32Array;
  /** Row of each id. */
  readonly rowById: ReadonlyMap<string, number>;
}

/** Encoded items: row `r` describes `ids[r]`; widths follow the encoder's `FeatureLayout`. */
export interface EncodedItemTable {
  readonly count: number;
  /** Item fields per row (`layout.itemFields.length`). */
  readonly fieldCount: number;
  /** Multi-hot width (`layout.categoryCount`). */
  readonly categoryCount: number;
  /** Numeric attributes per row (`layout.numericCount`). */
  readonly numericCount: number;
  readonly ids: readonly string[];
  /** `count × itemFields.length` vocabulary indices. */
  readonly fields: Int32Array;
  /** `count × categoryCount` multi-hot categories (0/1). */
  readonly categories: Float32Array;
  /** `count × numericCount` standardised numeric attributes. */
  readonly numeric: Float32Array;
  /** Row of each id. */
  readonly rowById: ReadonlyMap<string, number>;
}
