import type { Interaction } from '@metarec/schemas';

import { invalidOption, reasonOf, requireInt } from '../errors.js';
import { withTimeout, type FeatureReader, type ItemCount } from '../features/feature-reader.js';
import { mergeOptions } from '../options/merge-options.js';

/** Options of {@link CandidateGenerator}. */
export interface CandidateGeneratorOptions {
  readonly reader: FeatureReader;
  /** Candidates per request (the ranking's input). @defaultValue 500 */
  readonly size?: number;
  /** The user's latest distinct items used as co-occurrence seeds. @defaultValue 5 */
  readonly coOccurrenceSeeds?: number;
  /** Co-occurring items read per seed. @defaultValue 50 */
  readonly coOccurrencePerSeed?: number;
  /** Share of `size` reserved for items the model has no id embedding for (new items get a chance). @defaultValue 0.1 */
  readonly newItemShare?: number;
  /** The popularity list is shared by all requests and re-read after this long. @defaultValue 2_000 */
  readonly popularTtlMs?: number;
  /** A store read slower than this counts as failed. @defaultValue 50 */
  readonly timeoutMs?: number;
  /** Clock, epoch ms. @defaultValue `Date.now` */
  readonly now?: () => number;
}

/** Defaults laid under {@link CandidateGeneratorOptions}. */
export const DEFAULT_CANDIDATE_GENERATOR_OPTIONS: Required<Omit<CandidateGeneratorOptions, 'reader' | 'now'>> = {
  size: 500,
  coOccurrenceSeeds: 5,
  coOccurrencePerSeed: 50,
  newItemShare: 0.1,
  popularTtlMs: 2_000,
  timeoutMs: 50,
};

/** The popularity list is read this many times `size` deep. */
const POPULAR_DEPTH_FACTOR = 4;

/** One request's input to candidate generation. */
export interface CandidateRequest {
  /** The user's interactions, newest first (seeds and the seen set). */
  readonly recent: readonly Interaction[];
  /** Item ids never to return (seen elsewhere, already on screen). */
  readonly exclude?: ReadonlySet<string>;
  /** True for an item the serving model has no id embedding for. */
  readonly isNewItem: (itemId: string) => boolean;
  /** Override of `size` for this request. */
  readonly size?: number;
}

/** Candidate ids with where they came from. */
export interface Candidates {
  readonly itemIds: readonly string[];
  readonly counts: { readonly coOccurring: number; readonly newItems: number; readonly popular: number };
  /** Reasons a source was skipped (store unavailable); empty when all answered. */
  readonly degraded: readonly string[];
}

/**
 * Candidates from the online store: items co-occurring with the user's latest ones, items new to
 * the model (a reserved share, so they can be shown before they have history), then the popular
 * items of the window; everything the user interacted with or the caller excluded is removed.
 * A failing source is skipped with a reason; the popular list falls back to its last good copy.
 */
export class CandidateGenerator {
  private readonly o: typeof DEFAULT_CANDIDATE_GENERATOR_OPTIONS & { reader: FeatureReader; now: () => number };
  private popular: { items: readonly ItemCount[]; depth: number; fetchedAtMs: number } | null = null;
  private popularRead: Promise<readonly ItemCount[]> | null = null;

  /** @throws ServingError `SERVING_OPTIONS_INVALID`. */
  constructor(options: CandidateGeneratorOptions) {
    this.o = mergeOptions({ ...DEFAULT_CANDIDATE_GENERATOR_OPTIONS, now: Date.now }, options);
    requireInt('size', this.o.size, 1, 100_000);
    requireInt('coOccurrenceSeeds', this.o.coOccurrenceSeeds, 0, 100);
    requireInt('coOccurrencePerSeed', this.o.coOccurrencePerSeed, 1, 10_000);
    requireInt('popularTtlMs', this.o.popularTtlMs, 0);
    requireInt('timeoutMs', this.o.timeoutMs, 1);
    if (!(this.o.newItemShare >= 0 && this.o.newItemShare <= 1)) {
      throw invalidOption('newItemShare', `must be within [0, 1], got ${this.o.newItemShare}`);
    }
  }

  /** Candidates for one request, at most `size`. */
  async generate(request: CandidateRequest): Promise<Candidates> {
    const size = request.size ?? this.o.size;
    const degraded: string[] = [];
    const blocked = new Set<string>(request.exclude ?? []);
    for (const event of request.recent) {
      blocked.add(event.item_id);
    }
    const [coOccurring, popular, published] = await Promise.all([
      this.coOccurring(request.recent, degraded),
      this.popularItems(size, degraded),
      this.newItems(size, degraded),
    ]);
    const out: string[] = [];
    const taken = new Set<string>();
    const take = (id: string, limit: number): boolean => {
      if (out.length >= limit || blocked.has(id) || taken.has(id)) {
        return false;
      }
      taken.add(id);
      out.push(id);
      return true;
    };
    const newQuota = Math.round(size * this.o.newItemShare);
    let newItems = 0;
    for (const id of [...published.map((i) => i.itemId), ...popular.filter((i) => request.isNewItem(i.itemId)).map((i) => i.itemId)]) {
      newItems += take(id, newQuota) ? 1 : 0;
    }
    let co = 0;
    for (const item of coOccurring) {
      co += take(item.itemId, size) ? 1 : 0;
    }
    let pop = 0;
    for (const item of popular) {
      pop += take(item.itemId, size) ? 1 : 0;
    }
    return { itemIds: out, counts: { coOccurring: co, newItems, popular: pop }, degraded };
  }

  /** Sums co-occurrence counts over the latest distinct seed items, highest first. */
  private async coOccurring(recent: readonly Interaction[], degraded: string[]): Promise<ItemCount[]> {
    const seeds = [...new Set(recent.map((e) => e.item_id))].slice(0, this.o.coOccurrenceSeeds);
    if (seeds.length === 0) {
      return [];
    }
    try {
      const lists = await withTimeout(
        Promise.all(seeds.map((seed) => this.o.reader.coOccurring(seed, this.o.coOccurrencePerSeed))),
        this.o.timeoutMs,
        'co-occurrence',
      );
      const sums = new Map<string, number>();
      for (const list of lists) {
        for (const { itemId, score } of list) {
          sums.set(itemId, (sums.get(itemId) ?? 0) + score);
        }
      }
      return [...sums].map(([itemId, score]) => ({ itemId, score })).sort((a, b) => b.score - a.score || (a.itemId < b.itemId ? -1 : 1));
    } catch (error) {
      degraded.push(`co-occurrence unavailable: ${reasonOf(error)}`);
      return [];
    }
  }

  /** The shared popularity list, stale on error. */
  private async popularItems(size: number, degraded: string[]): Promise<readonly ItemCount[]> {
    const now = this.o.now();
    const cached = this.popular;
    // Deep enough that exclusions leave `size`, and that new items (few events yet) are found.
    const depth = size * POPULAR_DEPTH_FACTOR;
    if (cached !== null && now - cached.fetchedAtMs < this.o.popularTtlMs && cached.depth >= depth) {
      return cached.items;
    }
    // One read in flight at a time: a burst at expiry shares it instead of stampeding Redis.
    this.popularRead ??= withTimeout(this.o.reader.topPopular(depth, now), this.o.timeoutMs, 'popular items').finally(() => {
      this.popularRead = null;
    });
    try {
      const items = await this.popularRead;
      this.popular = { items, depth, fetchedAtMs: now };
      return items;
    } catch (error) {
      degraded.push(`popular items unavailable (${reasonOf(error)}): ${cached === null ? 'no copy yet' : 'last good copy used'}`);
      return cached?.items ?? [];
    }
  }

  private async newItems(size: number, degraded: string[]): Promise<readonly ItemCount[]> {
    const read = this.o.reader.newItems;
    if (read === undefined) {
      return [];
    }
    try {
      return await withTimeout(read.call(this.o.reader, size), this.o.timeoutMs, 'new items');
    } catch (error) {
      degraded.push(`new items unavailable: ${reasonOf(error)}`);
      return [];
    }
  }
}
