import type { Dataset, InteractionColumns } from '../dataset/dataset.js';
import { STAR_RATING_SCALE } from '../dataset/rating-scale.js';
import { EVENT_TYPE_CODE } from '../dataset/dataset.js';
import { SeededRng } from '@metarec/runtime';
import type { HiddenSide } from './synthetic-population.js';
import { generateItems, generateUsers } from './synthetic-population.js';
import type { SyntheticOptions } from './synthetic-options.js';
import { resolveSyntheticOptions } from './synthetic-options.js';
import { timeOrder } from './time-order.js';
import { WeightedSampler, zipfWeights } from './weighted-sampler.js';

/** Std of the taste term `dot(user, item)` in stars. */
const TASTE_STD = 0.8;
/** Draws of a popular item before falling back to a scan for an unseen, released one. */
const MAX_DRAWS = 16;
const DAY_MS = 86_400_000;
/** Logit offsets of click-after-view and purchase-after-click (defaults, seed 1: 23% of views click, 34% of clicks buy). */
const CLICK_OFFSET = 2.8;
const PURCHASE_OFFSET = 4;

/** The hidden model behind the data: an oracle for tests and for upper bounds in evaluation. */
export interface SyntheticTruth {
  readonly dim: number;
  readonly globalMean: number;
  /** `users × dim` and `items × dim`; score = mean + biases + `tasteScale × dot`. */
  readonly userFactors: Float64Array;
  readonly itemFactors: Float64Array;
  readonly userBias: Float64Array;
  readonly itemBias: Float64Array;
  readonly tasteScale: number;
  /** Item popularity rank (0 = most popular). */
  readonly popularityRank: Int32Array;
}

/** A generated data set, plus what a cold-start evaluation needs to know about it. */
export interface SyntheticDataset extends Dataset {
  readonly options: Required<SyntheticOptions>;
  /** From this time (epoch ms) new users arrive and new items are released. */
  readonly coldStartFromMs: number;
  /** Per user row: 1 = arrived in the late window. */
  readonly isNewUser: Uint8Array;
  /** Per item row: 1 = released in the late window. */
  readonly isNewItem: Uint8Array;
  readonly truth: SyntheticTruth;
}

/** The hidden model's expected rating of item row `i` by user row `u`, before noise and rounding. */
export function trueScore(truth: SyntheticTruth, u: number, i: number): number {
  let dot = 0;
  for (let d = 0; d < truth.dim; d++) {
    dot += truth.userFactors[u * truth.dim + d] * truth.itemFactors[i * truth.dim + d];
  }
  return truth.globalMean + truth.userBias[u] + truth.itemBias[i] + truth.tasteScale * dot;
}

/**
 * Generates users, items and interactions from a hidden model (see {@link SyntheticOptions}):
 * ratings = clamp(round(mean + user bias + item bias + taste · dot(user, item) + noise), 1, 5);
 * items drawn by Zipf popularity (better items tend to rank higher), never twice per user,
 * never before release; new users and items appear in the last `lateShare` of the period.
 * Deterministic by seed; about a second per million interactions.
 * @throws DatasetError `DS_INVALID_OPTION` naming an invalid option.
 */
export function generateSynthetic(options: SyntheticOptions = {}): SyntheticDataset {
  const o = resolveSyntheticOptions(options);
  const rng = new SeededRng(o.seed);
  const users = generateUsers(rng, o);
  const items = generateItems(rng, o);
  const popularityRank = rankByQuality(rng, items.hidden.bias);
  const weights = zipfWeights(o.items, o.popularityExponent);
  const popularity = new WeightedSampler(Float64Array.from(popularityRank, (rank) => weights[rank]));
  const truth: SyntheticTruth = {
    dim: o.latentDim,
    globalMean: o.globalMean,
    userFactors: users.hidden.factors,
    itemFactors: items.hidden.factors,
    userBias: users.hidden.bias,
    itemBias: items.hidden.bias,
    tasteScale: TASTE_STD * Math.sqrt(o.latentDim),
    popularityRank,
  };
  const columns = sampleInteractions(rng, o, users.hidden, items.hidden, popularity, truth);
  return {
    users: users.profiles,
    items: items.profiles,
    interactions: o.order === 'time' ? sortByTime(columns) : columns,
    ratingScale: STAR_RATING_SCALE,
    options: o,
    coldStartFromMs: o.startMs + (1 - o.lateShare) * o.days * DAY_MS,
    isNewUser: users.hidden.isNew,
    isNewItem: items.hidden.isNew,
    truth,
  };
}

/** Popularity ranks: items sorted by bias plus noise, so quality and popularity correlate (not perfectly). */
function rankByQuality(rng: SeededRng, itemBias: Float64Array): Int32Array {
  const key = Float64Array.from(itemBias, (b) => b + 0.45 * rng.normal());
  const order = Int32Array.from({ length: itemBias.length }, (_, k) => k).sort((a, b) => key[b] - key[a] || a - b);
  const rank = new Int32Array(itemBias.length);
  order.forEach((item, r) => {
    rank[item] = r;
  });
  return rank;
}

/** Interactions per user: log-uniform in [min, max], capped at the item count. */
function drawCounts(rng: SeededRng, o: Required<SyntheticOptions>): Int32Array {
  const lo = Math.log(o.interactionsPerUser.min);
  const hi = Math.log(o.interactionsPerUser.max + 1);
  return Int32Array.from({ length: o.users }, () => Math.min(o.items, o.interactionsPerUser.max, Math.floor(Math.exp(lo + rng.next() * (hi - lo)))));
}

function sampleInteractions(rng: SeededRng, o: Required<SyntheticOptions>, users: HiddenSide, items: HiddenSide, popularity: WeightedSampler, truth: SyntheticTruth): InteractionColumns {
  const counts = drawCounts(rng, o);
  const exposures = counts.reduce((a, b) => a + b, 0);
  const capacity = o.feedback === 'implicit' ? 3 * exposures : exposures;
  const out = {
    userRows: new Int32Array(capacity),
    itemRows: new Int32Array(capacity),
    eventTypes: new Uint8Array(capacity),
    values: new Float32Array(capacity),
    timestampsMs: new Float64Array(capacity),
  };
  const endMs = o.startMs + o.days * DAY_MS;
  const seenBy = new Int32Array(o.items).fill(-1);
  let n = 0;
  const emit = (u: number, i: number, type: number, value: number, t: number): void => {
    out.userRows[n] = u;
    out.itemRows[n] = i;
    out.eventTypes[n] = type;
    out.values[n] = value;
    out.timestampsMs[n] = Math.floor(t);
    n++;
  };
  for (let u = 0; u < o.users; u++) {
    const fromMs = users.availableFromMs[u];
    for (let k = 0; k < counts[u]; k++) {
      const [i, t] = drawItem(rng, u, fromMs, endMs, popularity, items.availableFromMs, seenBy);
      seenBy[i] = u;
      const score = trueScore(truth, u, i) + o.noise * rng.normal();
      if (o.feedback === 'explicit') {
        emit(u, i, EVENT_TYPE_CODE.rating, Math.min(5, Math.max(1, Math.round(score))), t);
        continue;
      }
      emit(u, i, EVENT_TYPE_CODE.view, NaN, t);
      // Click and purchase grow likelier with the score (see CLICK_OFFSET).
      if (rng.next() < sigmoid(2 * (score - o.globalMean) - CLICK_OFFSET)) {
        const clickMs = t + 5_000 + rng.next() * 55_000;
        emit(u, i, EVENT_TYPE_CODE.click, NaN, clickMs);
        if (rng.next() < sigmoid(2 * (score - o.globalMean) - PURCHASE_OFFSET)) {
          emit(u, i, EVENT_TYPE_CODE.purchase, 1, clickMs + 60_000 + rng.next() * 1_740_000);
        }
      }
    }
  }
  return {
    count: n,
    userRows: out.userRows.slice(0, n),
    itemRows: out.itemRows.slice(0, n),
    eventTypes: out.eventTypes.slice(0, n),
    values: out.values.slice(0, n),
    timestampsMs: out.timestampsMs.slice(0, n),
  };
}

/** An item user `u` has not seen, released before the event time, and that time. */
function drawItem(rng: SeededRng, u: number, fromMs: number, endMs: number, popularity: WeightedSampler, releasedMs: Float64Array, seenBy: Int32Array): [number, number] {
  for (let draw = 0; draw < MAX_DRAWS; draw++) {
    const i = popularity.draw(rng);
    const t = fromMs + rng.next() * (endMs - fromMs);
    if (seenBy[i] !== u && releasedMs[i] <= t) {
      return [i, t];
    }
  }
  // Heavy users exhaust the head: scan from a random start for any unseen item.
  const start = rng.int(seenBy.length);
  for (let step = 0; step < seenBy.length; step++) {
    const i = (start + step) % seenBy.length;
    if (seenBy[i] !== u) {
      const from = Math.max(fromMs, releasedMs[i]);
      return [i, from + rng.next() * (endMs - from)];
    }
  }
  throw new RangeError(`user row ${u} has seen every item (counts are capped at the item count)`);
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

function sortByTime(c: InteractionColumns): InteractionColumns {
  const order = timeOrder(c.timestampsMs);
  const permute = <T extends Int32Array | Uint8Array | Float32Array | Float64Array>(column: T, out: T): T => {
    order.forEach((from, to) => {
      out[to] = column[from];
    });
    return out;
  };
  return {
    count: c.count,
    userRows: permute(c.userRows, new Int32Array(c.count)),
    itemRows: permute(c.itemRows, new Int32Array(c.count)),
    eventTypes: permute(c.eventTypes, new Uint8Array(c.count)),
    values: permute(c.values, new Float32Array(c.count)),
    timestampsMs: permute(c.timestampsMs, new Float64Array(c.count)),
  };
}
