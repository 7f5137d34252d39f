import { createHash } from 'node:crypto';

import { applyIdDropout, buildUserTasks, type Dataset, EVENT_TYPE_CODE, FeatureEncoder, ratingScaleOf, userSplitOf } from '@metarec/datasets';
import { InteractionSchema, type UserTask } from '@metarec/schemas';

import { TrainingError } from '../errors.js';
import type { RunDataSpec } from '../spec/run-spec.js';
import type { TaskSet } from './task-set.js';

/** The task cut and user split every record-based data kind shares (see `taskSplitFields` of the run spec). */
export type TaskSplitSettings = Pick<RunDataSpec, 'queryCount' | 'minRatings' | 'maxRatings' | 'validationFraction' | 'testFraction' | 'splitSeed' | 'idDropout'>;

/** A task set before the source adds what only it knows (stream watermarks, event-time watermark). */
export type DatasetTasks = Omit<TaskSet, 'watermarks' | 'dataWatermarkMs'> & {
  /** Newest event time among the kept ratings, epoch ms (null when none). */
  readonly newestMs: number | null;
};

/** Where the records came from: hashed into the data version, named in errors. */
export interface DatasetSource {
  /** JSON-serialisable description of what was read (split settings, date bounds, world options). */
  readonly identity: Readonly<Record<string, unknown>>;
  /** For error messages, e.g. `offline store 2026-01-01..2026-01-05`. */
  readonly label: string;
}

/**
 * The one way records become a run's tasks (offline store and synthetic world alike): the feature
 * encoder fitted on the profiles, the finite ratings in canonical order, MeLU tasks per eligible
 * user (datasets' `buildUserTasks`), the hashed train / validation / test split by user id, then id
 * dropout on the training users only. Users and items are put in id order first, so the same
 * records give the same tasks whatever order a source lists them in (the synthetic world and the
 * offline store holding that world agree).
 *
 * The rating scale is the data set's (`ratingScaleOf`: its recorded one, else 1–5 stars).
 *
 * The data version is sha256 over `identity`, the encoder state and every kept rating in canonical
 * order, so it changes with anything read and with nothing else. `idDropout` must stay out of
 * `identity` (see `dataIdentityOf`).
 * @throws TrainingError `TRAIN_DATA_EMPTY` when no user lands in the training split.
 */
export function datasetTaskSet(dataset: Dataset, split: TaskSplitSettings, source: DatasetSource): DatasetTasks {
  const { sorted: users, rowOf: userRowOf } = byId(dataset.users, (u) => u.user_id);
  const { sorted: items, rowOf: itemRowOf } = byId(dataset.items, (i) => i.item_id);
  const columns = dataset.interactions;
  const userRow = (k: number): number => userRowOf[columns.userRows[k]];
  const itemRow = (k: number): number => itemRowOf[columns.itemRows[k]];
  const encoder = FeatureEncoder.fit({ users, items });
  const userTable = encoder.encodeUsers(users);
  const itemTable = encoder.encodeItems(items);
  const keep: number[] = [];
  for (let k = 0; k < columns.count; k++) {
    if (columns.eventTypes[k] === EVENT_TYPE_CODE.rating && Number.isFinite(columns.values[k])) {
      keep.push(k);
    }
  }
  // Canonical order (user, time, item, value): file or generation order must not shape the tasks.
  keep.sort((a, b) => userRow(a) - userRow(b) || columns.timestampsMs[a] - columns.timestampsMs[b] || itemRow(a) - itemRow(b) || columns.values[a] - columns.values[b]);
  const built = buildUserTasks(
    {
      interactions: {
        userRows: Int32Array.from(keep, userRow),
        itemRows: Int32Array.from(keep, itemRow),
        labels: Float32Array.from(keep, (k) => columns.values[k]),
        timestampsMs: Float64Array.from(keep, (k) => columns.timestampsMs[k]),
      },
      users: userTable,
      items: itemTable,
    },
    { queryCount: split.queryCount, minRatings: split.minRatings, maxRatings: split.maxRatings, seed: split.splitSeed },
  );
  const parts: Record<'train' | 'validation' | 'test', UserTask[]> = { train: [], validation: [], test: [] };
  for (const task of built.tasks) {
    parts[userSplitOf(task.userId, split)].push(task);
  }
  if (parts.train.length === 0) {
    throw new TrainingError('TRAIN_DATA_EMPTY', `no training user in ${source.label} has ${split.minRatings}..${split.maxRatings} ratings`, { field: 'data' });
  }
  // Training users only, after the split (held-out users keep their ids). Seeded per user id, so
  // the coordinator and every worker drop the same rows whatever the sharding or a resume.
  const train = split.idDropout > 0 ? applyIdDropout(parts.train, encoder.layout(), { probability: split.idDropout, seed: split.splitSeed, fields: ['item_id'] }) : parts.train;
  let newestMs: number | null = null;
  const hash = createHash('sha256').update(JSON.stringify({ ...source.identity, encoder: encoder.toJSON() }));
  for (const k of keep) {
    newestMs = newestMs === null ? columns.timestampsMs[k] : Math.max(newestMs, columns.timestampsMs[k]);
    hash.update(`${userTable.ids[userRow(k)]}\t${itemTable.ids[itemRow(k)]}\t${columns.values[k]}\t${columns.timestampsMs[k]}\n`);
  }
  return {
    featureLayout: encoder.layout(),
    ...parts,
    train,
    dataVersion: `sha256:${hash.digest('hex')}`,
    newestMs,
    ratingScale: ratingScaleOf(dataset),
    schemaFingerprint: InteractionSchema.fingerprint,
    vocabularies: encoder.toJSON(),
  };
}

/** `records` sorted by id (code-unit order), and each input row's row in the sorted list. */
function byId<T>(records: readonly T[], id: (r: T) => string): { sorted: T[]; rowOf: Int32Array } {
  const order = records.map((_, row) => row).sort((a, b) => (id(records[a]) < id(records[b]) ? -1 : id(records[a]) > id(records[b]) ? 1 : a - b));
  const rowOf = new Int32Array(records.length);
  order.forEach((row, sortedRow) => {
    rowOf[row] = sortedRow;
  });
  return { sorted: order.map((row) => records[row]), rowOf };
}
