import { createHash } from 'node:crypto';

import { applyIdDropout, buildUserTasks, EVENT_TYPE_CODE, FeatureEncoder, tableToInteractions } from '@metarec/datasets';
import { OfflineReader, offlineRecords, type RecordKind } from '@metarec/feature-store';
import { hashString } from '@metarec/runtime';
import { InteractionSchema, type ItemProfile, type UserProfile, type UserTask } from '@metarec/schemas';

import { TrainingError } from '../errors.js';
import { dataIdentityOf, type RunDataSpec } from '../spec/run-spec.js';
import type { DataWatermark, TaskSet } from './task-set.js';

type OfflineStoreSpec = Extract<RunDataSpec, { kind: 'offline-store' }>;

/** Latest profile per id (profiles are change records; the last one wins). */
function latestBy<T extends { readonly updated_at_ms: number }>(records: readonly T[], id: (r: T) => string): T[] {
  const byId = new Map<string, T>();
  for (const r of records) {
    const prev = byId.get(id(r));
    if (prev === undefined || r.updated_at_ms >= prev.updated_at_ms) {
      byId.set(id(r), r);
    }
  }
  return [...byId.values()].sort((a, b) => (id(a) < id(b) ? -1 : id(a) > id(b) ? 1 : 0));
}

async function dateBounds(reader: OfflineReader, kind: RecordKind, spec: OfflineStoreSpec): Promise<{ fromDate: string; toDate: string } | null> {
  const partitions = await reader.listPartitions(kind);
  if (partitions.length === 0) {
    return null;
  }
  return { fromDate: spec.fromDate ?? partitions[0].date, toDate: spec.toDate ?? partitions[partitions.length - 1].date };
}

async function readKind<T>(reader: OfflineReader, kind: RecordKind, spec: OfflineStoreSpec, allDates: boolean): Promise<T[]> {
  const bounds = await dateBounds(reader, kind, allDates ? { ...spec, fromDate: undefined } : spec);
  if (bounds === null) {
    return [];
  }
  return offlineRecords(kind, await reader.readRange(kind, bounds)) as unknown as T[];
}

/** Train / validation / test by a seeded hash of the user id, so the split never depends on which users exist. */
function bucketOf(userId: string, spec: OfflineStoreSpec): 'train' | 'validation' | 'test' {
  const u = (hashString(`${spec.splitSeed}:${userId}`) >>> 0) / 4294967296;
  if (u < spec.testFraction) {
    return 'test';
  }
  return u < spec.testFraction + spec.validationFraction ? 'validation' : 'train';
}

/**
 * The data version: sha256 over what the tasks are built from (the split settings, the encoder
 * state fitted on the profiles, every kept rating in canonical order), so it is stable under
 * compaction and under new data outside a pinned date range, and changes with anything read.
 * `idDropout` stays out (see `dataIdentityOf`): specs from before the field keep their version.
 */
function contentVersion(
  spec: OfflineStoreSpec,
  bounds: { fromDate: string; toDate: string },
  encoder: unknown,
  keep: readonly number[],
  columns: { readonly userRows: Int32Array; readonly itemRows: Int32Array; readonly values: Float32Array; readonly timestampsMs: Float64Array },
  userIds: readonly string[],
  itemIds: readonly string[],
): string {
  const { root: _root, ...split } = dataIdentityOf(spec);
  const hash = createHash('sha256').update(JSON.stringify({ split, bounds, encoder }));
  for (const k of keep) {
    hash.update(`${userIds[columns.userRows[k]]}\t${itemIds[columns.itemRows[k]]}\t${columns.values[k]}\t${columns.timestampsMs[k]}\n`);
  }
  return `sha256:${hash.digest('hex')}`;
}

/**
 * Builds MeLU tasks from the offline store: the latest user and item profiles (every date up to
 * `toDate`), the rating interactions of `[fromDate, toDate]` (default: every partition, i.e. the
 * latest watermark), the feature encoder fitted on the profiles, one task per eligible user.
 * The data version hashes the content (see `contentVersion`); the watermarks are recorded beside it.
 * With `idDropout` > 0 the training tasks' `item_id` is replaced by unknown with that probability
 * (validation and test untouched; string `itemIds` are kept, so item-mean baselines are unaffected).
 * @throws TrainingError `TRAIN_DATA_EMPTY`; FeatureStoreError `FS_READ_FAILED`, `FS_PATH_INVALID`.
 */
export async function offlineStoreTaskSet(spec: OfflineStoreSpec): Promise<TaskSet> {
  const reader = new OfflineReader({ root: spec.root });
  const watermarks: DataWatermark[] = (await reader.watermarks('interactions')).map((w) => ({ topic: w.topic, partition: w.partition, offset: w.offset.toString() }));
  const users = latestBy(await readKind<UserProfile>(reader, 'user_profiles', spec, true), (u) => u.user_id);
  const items = latestBy(await readKind<ItemProfile>(reader, 'item_profiles', spec, true), (i) => i.item_id);
  const bounds = await dateBounds(reader, 'interactions', spec);
  if (bounds === null || users.length === 0 || items.length === 0) {
    throw new TrainingError('TRAIN_DATA_EMPTY', `offline store ${spec.root} has no interactions or profiles`, { field: 'data.root' });
  }
  const encoder = FeatureEncoder.fit({ users, items });
  const userTable = encoder.encodeUsers(users);
  const itemTable = encoder.encodeItems(items);
  const columns = tableToInteractions(await reader.readRange('interactions', bounds), userTable.rowById, itemTable.rowById, { unknownIds: 'skip' });
  const keep: number[] = [];
  for (let k = 0; k < columns.count; k++) {
    if (columns.eventTypes[k] === EVENT_TYPE_CODE.rating && Number.isFinite(columns.values[k])) {
      keep.push(k);
    }
  }
  // Canonical order (user, time, item, value): file order changes with compaction, the tasks must not.
  keep.sort(
    (a, b) =>
      columns.userRows[a] - columns.userRows[b] ||
      columns.timestampsMs[a] - columns.timestampsMs[b] ||
      columns.itemRows[a] - columns.itemRows[b] ||
      columns.values[a] - columns.values[b],
  );
  const pick = <A extends Int32Array | Float32Array | Float64Array>(src: A, out: A): A => {
    keep.forEach((k, r) => {
      out[r] = src[k];
    });
    return out;
  };
  const built = buildUserTasks(
    {
      interactions: {
        userRows: pick(columns.userRows, new Int32Array(keep.length)),
        itemRows: pick(columns.itemRows, new Int32Array(keep.length)),
        labels: pick(columns.values, new Float32Array(keep.length)),
        timestampsMs: pick(columns.timestampsMs, new Float64Array(keep.length)),
      },
      users: userTable,
      items: itemTable,
    },
    { queryCount: spec.queryCount, minRatings: spec.minRatings, maxRatings: spec.maxRatings, seed: spec.splitSeed },
  );
  const split: Record<'train' | 'validation' | 'test', UserTask[]> = { train: [], validation: [], test: [] };
  for (const task of built.tasks) {
    split[bucketOf(task.userId, spec)].push(task);
  }
  if (split.train.length === 0) {
    throw new TrainingError('TRAIN_DATA_EMPTY', `no user in ${bounds.fromDate}..${bounds.toDate} has ${spec.minRatings}..${spec.maxRatings} ratings`, {
      field: 'data',
    });
  }
  // Training users only, after the split (held-out users keep their ids). Seeded per user id, so
  // the coordinator and every worker drop the same rows whatever the sharding or a resume.
  const train = spec.idDropout > 0 ? applyIdDropout(split.train, encoder.layout(), { probability: spec.idDropout, seed: spec.splitSeed, fields: ['item_id'] }) : split.train;
  let newestMs: number | null = null;
  for (const k of keep) {
    newestMs = newestMs === null ? columns.timestampsMs[k] : Math.max(newestMs, columns.timestampsMs[k]);
  }
  const version = contentVersion(spec, bounds, encoder.toJSON(), keep, columns, userTable.ids, itemTable.ids);
  return {
    featureLayout: encoder.layout(),
    ...split,
    train,
    dataVersion: version,
    watermarks,
    dataWatermarkMs: newestMs,
    schemaFingerprint: InteractionSchema.fingerprint,
    vocabularies: encoder.toJSON(),
  };
}
