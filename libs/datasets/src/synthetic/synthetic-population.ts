import type { ItemProfile, UserProfile } from '../dataset/records.js';
import type { SeededRng } from '@metarec/runtime';
import type { SyntheticOptions } from './synthetic-options.js';
import {
  CATEGORIES_PER_ITEM_WEIGHTS,
  SYNTHETIC_AGE_BUCKETS,
  SYNTHETIC_CATEGORIES,
  SYNTHETIC_GENDERS,
  SYNTHETIC_OCCUPATIONS,
  SYNTHETIC_REGIONS,
} from './synthetic-vocabulary.js';
import { WeightedSampler, zipfWeights } from './weighted-sampler.js';

/** Std of the user bias, in stars. */
const USER_BIAS_STD = 0.3;
/** Std of the item bias, in stars (items differ more than raters: ML-100K item means spread wider). */
const ITEM_BIAS_STD = 0.45;
/** Share of an item's content vector from its categories; the rest from its release decade. */
const CATEGORY_SHARE = 0.8;
/** Mean age, in years, of existing items (exponential): most catalogues lean recent. */
const MEAN_ITEM_AGE_YEARS = 12;
/** Oldest existing item, in years before the period. */
const MAX_ITEM_AGE_YEARS = 70;
/** Share of existing items with an unknown release year (ML-100K has one such item). */
const MISSING_YEAR_SHARE = 0.01;
const DAY_MS = 86_400_000;

/** Users or items with hidden taste: `factors` is `count × dim`, entries of variance 1/dim. */
export interface HiddenSide {
  readonly factors: Float64Array;
  readonly bias: Float64Array;
  /** 1 for users/items that appear in the late window (cold start), else 0. */
  readonly isNew: Uint8Array;
  /** When each user arrives / item is released, epoch ms. */
  readonly availableFromMs: Float64Array;
}

/** Vectors with entries N(0, 1/dim): `count × dim`. */
function gaussianVectors(rng: SeededRng, count: number, dim: number): Float64Array {
  const scale = 1 / Math.sqrt(dim);
  return Float64Array.from({ length: count * dim }, () => rng.normal() * scale);
}

/** Which rows are new: exactly `round(fraction × count)` of them, chosen at random. */
function pickNew(rng: SeededRng, count: number, fraction: number): Uint8Array {
  const order = rng.shuffle(Int32Array.from({ length: count }, (_, k) => k));
  const isNew = new Uint8Array(count);
  for (let k = 0; k < Math.round(fraction * count); k++) {
    isNew[order[k]] = 1;
  }
  return isNew;
}

/** Arrival time: existing rows before the late window, new rows inside it. */
function arrivalMs(rng: SeededRng, isNew: boolean, o: Required<SyntheticOptions>, existingAtStart: boolean): number {
  const span = o.days * DAY_MS;
  const cut = o.startMs + (1 - o.lateShare) * span;
  if (isNew) {
    return Math.floor(cut + rng.next() * (o.startMs + span - cut));
  }
  return existingAtStart ? o.startMs : Math.floor(o.startMs + rng.next() * (cut - o.startMs));
}

/**
 * Users: demographics drawn with MovieLens-like shares; taste = √profileShare × (sum of one
 * hidden vector per demographic value) + √(1 − profileShare) × an individual vector; the bias
 * likewise mixes demographic effects and an individual effect.
 */
export function generateUsers(rng: SeededRng, o: Required<SyntheticOptions>): { profiles: UserProfile[]; hidden: HiddenSide } {
  const D = o.latentDim;
  const attributes = [
    { values: SYNTHETIC_AGE_BUCKETS.values, sampler: new WeightedSampler(SYNTHETIC_AGE_BUCKETS.weights) },
    { values: SYNTHETIC_GENDERS.values, sampler: new WeightedSampler(SYNTHETIC_GENDERS.weights) },
    { values: SYNTHETIC_OCCUPATIONS, sampler: new WeightedSampler(zipfWeights(SYNTHETIC_OCCUPATIONS.length, 0.5)) },
    { values: SYNTHETIC_REGIONS.values, sampler: new WeightedSampler(SYNTHETIC_REGIONS.weights) },
  ];
  const A = attributes.length;
  // Each attribute value's vector has entries of variance 1/(A·dim), so their sum has 1/dim.
  const effects = attributes.map((a) => ({ vectors: gaussianVectors(rng, a.values.length, D).map((x) => x / Math.sqrt(A)), bias: Float64Array.from(a.values, () => rng.normal() / Math.sqrt(A)) }));
  const isNew = pickNew(rng, o.users, o.newUserFraction);
  const factors = new Float64Array(o.users * D);
  const bias = new Float64Array(o.users);
  const availableFromMs = new Float64Array(o.users);
  const profiles: UserProfile[] = new Array<UserProfile>(o.users);
  const wProfile = Math.sqrt(o.profileShare);
  const wOwn = Math.sqrt(1 - o.profileShare);
  for (let u = 0; u < o.users; u++) {
    const picks = attributes.map((a) => a.sampler.draw(rng));
    let profileBias = 0;
    for (let d = 0; d < D; d++) {
      let fromProfile = 0;
      picks.forEach((v, a) => {
        fromProfile += effects[a].vectors[v * D + d];
      });
      factors[u * D + d] = wProfile * fromProfile + (wOwn * rng.normal()) / Math.sqrt(D);
    }
    picks.forEach((v, a) => {
      profileBias += effects[a].bias[v];
    });
    bias[u] = USER_BIAS_STD * (wProfile * profileBias + wOwn * rng.normal());
    availableFromMs[u] = arrivalMs(rng, isNew[u] === 1, o, false);
    profiles[u] = {
      user_id: `u${u}`,
      age_bucket: attributes[0].values[picks[0]],
      gender: attributes[1].values[picks[1]],
      occupation: attributes[2].values[picks[2]],
      region: attributes[3].values[picks[3]],
      updated_at_ms: availableFromMs[u],
    };
  }
  return { profiles, hidden: { factors, bias, isNew, availableFromMs } };
}

/**
 * Items: 1–3 categories, a release year (new items: the period's year), a content vector from
 * categories and release decade mixed with an individual vector as for users. The bias is
 * individual, but `critic_score` tracks it (correlation 0.8), so a cold item's quality is
 * learnable from its attributes; `runtime_min` is noise.
 */
export function generateItems(rng: SeededRng, o: Required<SyntheticOptions>): { profiles: ItemProfile[]; hidden: HiddenSide } {
  const D = o.latentDim;
  const C = SYNTHETIC_CATEGORIES.length;
  const categoryVectors = gaussianVectors(rng, C, D);
  const categorySampler = new WeightedSampler(zipfWeights(C, 0.7));
  const countSampler = new WeightedSampler(CATEGORIES_PER_ITEM_WEIGHTS);
  const currentYear = new Date(o.startMs + o.days * DAY_MS).getUTCFullYear();
  const decades = Math.ceil(MAX_ITEM_AGE_YEARS / 10) + 1;
  const decadeVectors = gaussianVectors(rng, decades, D);
  const isNew = pickNew(rng, o.items, o.newItemFraction);
  const factors = new Float64Array(o.items * D);
  const bias = new Float64Array(o.items);
  const availableFromMs = new Float64Array(o.items);
  const profiles: ItemProfile[] = new Array<ItemProfile>(o.items);
  const wProfile = Math.sqrt(o.profileShare);
  const wOwn = Math.sqrt(1 - o.profileShare);
  for (let i = 0; i < o.items; i++) {
    const chosen = new Set<number>();
    const wanted = countSampler.draw(rng) + 1;
    while (chosen.size < wanted) {
      chosen.add(categorySampler.draw(rng));
    }
    const categories = [...chosen].sort((a, b) => a - b);
    const age = isNew[i] === 1 ? 0 : Math.min(1 + Math.floor(-Math.log(1 - rng.next()) * MEAN_ITEM_AGE_YEARS), MAX_ITEM_AGE_YEARS);
    const year = isNew[i] === 0 && rng.next() < MISSING_YEAR_SHARE ? null : currentYear - age;
    const decade = year === null ? decades - 1 : Math.floor(age / 10);
    for (let d = 0; d < D; d++) {
      let fromCategories = 0;
      for (const c of categories) {
        fromCategories += categoryVectors[c * D + d];
      }
      const content = Math.sqrt(CATEGORY_SHARE / categories.length) * fromCategories + Math.sqrt(1 - CATEGORY_SHARE) * decadeVectors[decade * D + d];
      factors[i * D + d] = wProfile * content + (wOwn * rng.normal()) / Math.sqrt(D);
    }
    const z = rng.normal();
    bias[i] = ITEM_BIAS_STD * z;
    availableFromMs[i] = arrivalMs(rng, isNew[i] === 1, o, true);
    const criticScore = Math.round(10 * Math.min(10, Math.max(0, 5.5 + 1.5 * (0.8 * z + 0.6 * rng.normal())))) / 10;
    const runtime = Math.round(Math.min(240, Math.max(60, 105 + 20 * rng.normal())));
    profiles[i] = {
      item_id: `i${i}`,
      title: year === null ? `Item ${i}` : `Item ${i} (${year})`,
      categories: categories.map((c) => SYNTHETIC_CATEGORIES[c]),
      release_year: year,
      numeric_attributes: { critic_score: criticScore, runtime_min: runtime },
      updated_at_ms: availableFromMs[i],
    };
  }
  return { profiles, hidden: { factors, bias, isNew, availableFromMs } };
}
