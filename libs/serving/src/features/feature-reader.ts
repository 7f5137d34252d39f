import type { Interaction, ItemProfile, UserProfile } from '@metarec/schemas';

/** An item id with a count (popularity, co-occurrence). */
export interface ItemCount {
  readonly itemId: string;
  readonly score: number;
}

/**
 * What serving reads from the online store. `OnlineStore` of `@metarec/feature-store` satisfies
 * it as is; tests pass an in-memory one (`@metarec/serving/testing`). Every method may reject
 * (Redis down): callers degrade, never fail the request.
 */
export interface FeatureReader {
  /** The user's latest interactions (newest first, at most `limit`) and profile. */
  userContext(userId: string, limit?: number): Promise<{ readonly recent: readonly Interaction[]; readonly profile: UserProfile | null }>;
  /** Profiles of `itemIds`, `null` where unknown, in the same order. */
  itemProfiles(itemIds: readonly string[]): Promise<(ItemProfile | null)[]>;
  /** The `k` most interacted-with items of the store's popularity window. */
  topPopular(k: number, nowMs?: number): Promise<ItemCount[]>;
  /** The `k` items most often co-occurring with `itemId`. */
  coOccurring(itemId: string, k: number): Promise<ItemCount[]>;
  /**
   * Ids of the `limit` items whose first profile arrived last, newest first (no interactions
   * needed): how new items enter the candidates before they have any history.
   */
  newestItems(limit: number): Promise<string[]>;
}

/**
 * Races `promise` against a timer: a slow dependency costs at most `timeoutMs` of a request.
 * @throws Error `timed out after <n> ms` (the original promise is left to settle on its own).
 */
export async function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
    // A losing promise that rejects later must not become an unhandled rejection.
    promise.catch(() => undefined);
  }
}
