import { DatasetError } from '../errors.js';

/** Index every vocabulary gives to an unknown or missing value. */
export const UNKNOWN_INDEX = 0;

/** JSON form of a {@link Vocabulary}: the tokens in index order, starting at index 1. */
export interface VocabularyJson {
  readonly tokens: readonly string[];
}

/**
 * A frozen mapping from string tokens to dense integer indices `1..size-1`; index 0
 * ({@link UNKNOWN_INDEX}) stands for any token not seen at fit time and for missing values,
 * so a serving process maps an id it has never seen to the embedding row reserved for that.
 * Tokens are indexed in code-point order, so the result does not depend on input order.
 */
export class Vocabulary {
  private readonly index: ReadonlyMap<string, number>;

  private constructor(private readonly tokenList: readonly string[]) {
    const index = new Map<string, number>();
    tokenList.forEach((token, k) => index.set(token, k + 1));
    this.index = index;
  }

  /** Builds a vocabulary of the distinct non-null tokens of `values`. */
  static fit(values: Iterable<string | null | undefined>): Vocabulary {
    const distinct = new Set<string>();
    for (const value of values) {
      if (value !== null && value !== undefined) {
        distinct.add(value);
      }
    }
    return new Vocabulary([...distinct].sort(compareCodePoints));
  }

  /**
   * Restores a vocabulary from {@link Vocabulary.toJSON} output (already parsed JSON).
   * @throws DatasetError `DS_SERIALIZED_INVALID` when `json` is not a token list without duplicates.
   */
  static fromJSON(json: unknown): Vocabulary {
    const tokens = (json as { tokens?: unknown } | null)?.tokens;
    if (!Array.isArray(tokens) || !tokens.every((t): t is string => typeof t === 'string')) {
      throw new DatasetError('DS_SERIALIZED_INVALID', 'vocabulary JSON needs "tokens": string[]');
    }
    if (new Set(tokens).size !== tokens.length) {
      throw new DatasetError('DS_SERIALIZED_INVALID', 'vocabulary JSON has duplicate tokens');
    }
    return new Vocabulary([...tokens]);
  }

  /** Number of indices including the reserved 0: the embedding table height. */
  get size(): number {
    return this.tokenList.length + 1;
  }

  /** Index of `token`, or {@link UNKNOWN_INDEX} when it is unknown, null or undefined. */
  indexOf(token: string | null | undefined): number {
    if (token === null || token === undefined) {
      return UNKNOWN_INDEX;
    }
    return this.index.get(token) ?? UNKNOWN_INDEX;
  }

  /** Token at `index`, or `undefined` for 0 and out-of-range indices. */
  tokenAt(index: number): string | undefined {
    return index >= 1 ? this.tokenList[index - 1] : undefined;
  }

  /** Known tokens in index order (index 1 first). */
  tokens(): readonly string[] {
    return this.tokenList;
  }

  toJSON(): VocabularyJson {
    return { tokens: [...this.tokenList] };
  }
}

function compareCodePoints(a: string, b: string): number {
  if (a === b) {
    return 0;
  }
  return a < b ? -1 : 1;
}
