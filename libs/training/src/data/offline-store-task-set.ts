import { tableToInteractions } from '@metarec/datasets';
import { OfflineReader, offlineRecords, type RecordKind } from '@metarec/feature-store';
import { RATING_MAX, RATING_MIN, type ItemProfile, type UserProfile } from '@metarec/schemas';

import { TrainingError } from '../errors.js';
import { dataIdentityOf, type RunDataSpec } from '../spec/run-spec.js';
import { datasetTaskSet } from './dataset-task-set.js';
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

/**
 * Builds MeLU tasks from the offline store: the latest user and item profiles (every date up to
 * `toDate`), the rating interactions of `[fromDate, toDate]` (default: every partition, i.e. the
 * latest watermark), the feature encoder fitted on the profiles, one task per eligible user.
 * The tasks and the content-hashed data version come from `datasetTaskSet`; the watermarks are recorded beside them.
 * The rating scale is the wire schema's (`RATING_MIN`..`RATING_MAX`), the only ratings the store can hold.
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
  const rowOf = (ids: readonly string[]): Map<string, number> => new Map(ids.map((id, row) => [id, row]));
  const interactions = tableToInteractions(
    await reader.readRange('interactions', bounds),
    rowOf(users.map((u) => u.user_id)),
    rowOf(items.map((i) => i.item_id)),
    { unknownIds: 'skip' },
  );
  // The data version covers the split settings (not the store's path) and the date bounds read.
  const { root: _root, ...split } = dataIdentityOf(spec);
  // The store records no scale of its own; the wire schema admits ratings in [RATING_MIN, RATING_MAX] only.
  const ratingScale = { min: RATING_MIN, max: RATING_MAX };
  const { newestMs, ...tasks } = datasetTaskSet({ users, items, interactions, ratingScale }, spec, {
    identity: { split, bounds },
    label: `offline store ${bounds.fromDate}..${bounds.toDate}`,
  });
  return { ...tasks, watermarks, dataWatermarkMs: newestMs };
}
