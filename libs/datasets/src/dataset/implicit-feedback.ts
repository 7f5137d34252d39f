import type { InteractionEventType } from '@metarec/schemas';

import { DatasetError } from '../errors.js';
import { mergeOptions } from '@metarec/runtime';
import type { InteractionColumns } from './dataset.js';
import { EVENT_TYPES } from './dataset.js';

/** Options of {@link implicitFeedbackPairs}. */
export interface ImplicitFeedbackOptions {
  /** Event types that make a (user, item) pair positive. @defaultValue ['click', 'purchase'] */
  readonly positiveTypes?: readonly InteractionEventType[];
  /** A `rating` event is positive from this many stars (the evaluation's AUC threshold), else an exposure. @defaultValue 4 */
  readonly ratingThreshold?: number;
}

/** Defaults of {@link ImplicitFeedbackOptions}. */
export const DEFAULT_IMPLICIT_FEEDBACK_OPTIONS: Required<ImplicitFeedbackOptions> = { positiveTypes: ['click', 'purchase'], ratingThreshold: 4 };

/** One row per distinct (user, item) pair: the task builder's input for implicit feedback. */
export interface FeedbackPairs {
  readonly count: number;
  readonly userRows: Int32Array;
  readonly itemRows: Int32Array;
  /** 1 = the pair has a positive event, 0 = exposures only. */
  readonly labels: Float32Array;
  /** Time of the pair's first event, epoch ms. */
  readonly timestampsMs: Float64Array;
}

/**
 * Collapses event streams (a view, then perhaps a click, then a purchase of the same item) into
 * one labelled row per (user, item) pair, so one item can never sit in both the support and the
 * query set of a task. Linear time: a counting sort by user, then an item stamp array.
 * Pairs come out grouped by user row, each user's items in order of first event.
 * @param itemCount number of item rows (`Dataset.items.length`).
 * @throws DatasetError `DS_INVALID_INPUT` for rows outside the given counts.
 */
export function implicitFeedbackPairs(columns: InteractionColumns, userCount: number, itemCount: number, options: ImplicitFeedbackOptions = {}): FeedbackPairs {
  const o = mergeOptions(DEFAULT_IMPLICIT_FEEDBACK_OPTIONS, options);
  const positive = new Uint8Array(EVENT_TYPES.length);
  o.positiveTypes.forEach((type) => {
    positive[EVENT_TYPES.indexOf(type)] = 1;
  });
  const ratingCode = EVENT_TYPES.indexOf('rating');
  const n = columns.count;
  const starts = new Int32Array(userCount + 1);
  for (let k = 0; k < n; k++) {
    const u = columns.userRows[k];
    const i = columns.itemRows[k];
    if (u < 0 || u >= userCount || i < 0 || i >= itemCount) {
      throw new DatasetError('DS_INVALID_INPUT', `interaction ${k}: user row ${u} or item row ${i} is outside ${userCount} users / ${itemCount} items`);
    }
    starts[u + 1]++;
  }
  for (let u = 0; u < userCount; u++) {
    starts[u + 1] += starts[u];
  }
  const byUser = new Int32Array(n);
  const cursor = starts.slice(0, userCount);
  for (let k = 0; k < n; k++) {
    byUser[cursor[columns.userRows[k]]++] = k;
  }
  const out = { userRows: new Int32Array(n), itemRows: new Int32Array(n), labels: new Float32Array(n), timestampsMs: new Float64Array(n) };
  const ownerOf = new Int32Array(itemCount).fill(-1);
  const slotOf = new Int32Array(itemCount);
  let pairs = 0;
  for (let u = 0; u < userCount; u++) {
    for (let p = starts[u]; p < starts[u + 1]; p++) {
      const k = byUser[p];
      const i = columns.itemRows[k];
      const type = columns.eventTypes[k];
      const isPositive = type === ratingCode ? columns.values[k] >= o.ratingThreshold : positive[type] === 1;
      if (ownerOf[i] !== u) {
        ownerOf[i] = u;
        slotOf[i] = pairs;
        out.userRows[pairs] = u;
        out.itemRows[pairs] = i;
        out.timestampsMs[pairs] = columns.timestampsMs[k];
        pairs++;
      }
      const slot = slotOf[i];
      out.timestampsMs[slot] = Math.min(out.timestampsMs[slot], columns.timestampsMs[k]);
      if (isPositive) {
        out.labels[slot] = 1;
      }
    }
  }
  return {
    count: pairs,
    userRows: out.userRows.slice(0, pairs),
    itemRows: out.itemRows.slice(0, pairs),
    labels: out.labels.slice(0, pairs),
    timestampsMs: out.timestampsMs.slice(0, pairs),
  };
}
