import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { OfflineWriter } from '@metarec/feature-store';
import { makeInteraction, makeItemProfile, makeUserProfile, TEST_TIME_MS } from '@metarec/feature-store/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { parseRunSpec, type RunSpec } from '../spec/run-spec.js';
import { offlineStoreTaskSet } from './offline-store-task-set.js';

const DAY = 86_400_000;

type OfflineSpec = Extract<RunSpec['data'], { kind: 'offline-store' }>;

function dataSpec(root: string, extra: Record<string, unknown> = {}): OfflineSpec {
  return parseRunSpec({ data: { kind: 'offline-store', root, queryCount: 5, minRatings: 8, maxRatings: 100, validationFraction: 0.2, testFraction: 0.2, ...extra }, output: { dir: '/tmp' } })
    .data as OfflineSpec;
}

describe('offlineStoreTaskSet', () => {
  let root: string;
  let writer: OfflineWriter;
  let offset = 0n;

  async function writeDay(day: number, users: number, perUser: number): Promise<void> {
    const interactions = [];
    for (let u = 0; u < users; u++) {
      for (let k = 0; k < perUser; k++) {
        interactions.push({
          offset: offset++,
          record: makeInteraction({ user_id: `u${u}`, item_id: `i${(u * 7 + k + day) % 40}`, value: 1 + ((u + k) % 5), timestamp_ms: TEST_TIME_MS + day * DAY + k * 1000 }),
        });
      }
    }
    // A view without a value is not a rating and never enters a task.
    interactions.push({ offset: offset++, record: makeInteraction({ user_id: 'u0', item_id: 'i1', event_type: 'view', value: null, timestamp_ms: TEST_TIME_MS + day * DAY }) });
    await writer.write('interactions', 'metarec.interactions', 0, interactions);
  }

  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'offline-tasks-'));
    writer = new OfflineWriter({ root });
    offset = 0n;
    const users = Array.from({ length: 30 }, (_, u) => ({ offset: BigInt(u), record: makeUserProfile({ user_id: `u${u}`, gender: u % 2 === 0 ? 'F' : 'M' }) }));
    const items = Array.from({ length: 40 }, (_, i) => ({ offset: BigInt(i), record: makeItemProfile({ item_id: `i${i}`, title: `Item ${i}`, categories: [i % 2 === 0 ? 'drama' : 'comedy'] }) }));
    await writer.write('user_profiles', 'metarec.user-profiles', 0, users);
    await writer.write('item_profiles', 'metarec.item-profiles', 0, items);
    await writeDay(0, 30, 6);
    await writeDay(1, 30, 6);
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('builds MeLU tasks from the ratings of every partition, split by hashed user id', async () => {
    const set = await offlineStoreTaskSet(dataSpec(root));
    const all = [...set.train, ...set.validation, ...set.test];
    expect(all).toHaveLength(30);
    expect(set.train.length).toBeGreaterThan(set.validation.length);
    for (const t of all) {
      expect(t.query.count).toBe(5);
      expect(t.support.count).toBe(7);
    }
    expect(new Set(set.train.map((t) => t.userId)).size).toBe(set.train.length);
    expect(set.featureLayout.userFields.length).toBeGreaterThan(0);
    expect(set.dataWatermarkMs).toBe(TEST_TIME_MS + DAY + 5000);
    expect(set.watermarks).toEqual([{ topic: 'metarec.interactions', partition: 0, offset: String(offset - 1n) }]);
    expect(set.schemaFingerprint).toMatch(/^sha256:/);
    // The wire schema's rating bounds (RATING_MIN..RATING_MAX): the store holds no other ratings.
    expect(set.ratingScale).toEqual({ min: 1, max: 5 });
  });

  it('has a stable data version that moves with the latest watermark, unless toDate pins the range', async () => {
    const first = await offlineStoreTaskSet(dataSpec(root));
    expect((await offlineStoreTaskSet(dataSpec(root))).dataVersion).toBe(first.dataVersion);
    const pinnedBefore = await offlineStoreTaskSet(dataSpec(root, { toDate: '2026-03-02' }));
    await writeDay(2, 30, 6);
    const latest = await offlineStoreTaskSet(dataSpec(root));
    expect(latest.dataVersion).not.toBe(first.dataVersion);
    expect(latest.train.length + latest.validation.length + latest.test.length).toBe(30);
    const pinned = await offlineStoreTaskSet(dataSpec(root, { toDate: '2026-03-02' }));
    expect(pinned.dataWatermarkMs).toBe(pinnedBefore.dataWatermarkMs);
    expect(pinned.train.map((t) => t.userId)).toEqual(pinnedBefore.train.map((t) => t.userId));
    // Same content, so a pinned run resumes after more data arrived elsewhere in the store.
    expect(pinned.dataVersion).toBe(pinnedBefore.dataVersion);
  });

  it('drops item_id in training tasks only (seeded by splitSeed, same on every build); the data version ignores it', async () => {
    const off = await offlineStoreTaskSet(dataSpec(root));
    const a = await offlineStoreTaskSet(dataSpec(root, { idDropout: 0.5 }));
    const b = await offlineStoreTaskSet(dataSpec(root, { idDropout: 0.5 }));
    expect(a.train).toEqual(b.train);
    expect(a.validation).toEqual(off.validation);
    expect(a.test).toEqual(off.test);
    expect(a.dataVersion).toBe(off.dataVersion);
    const at = a.featureLayout.itemFields.findIndex((f) => f.name === 'item_id');
    const width = a.featureLayout.itemFields.length;
    let rows = 0;
    let dropped = 0;
    a.train.forEach((t, i) => {
      expect(t.userId).toBe(off.train[i].userId);
      for (const part of ['support', 'query'] as const) {
        const got = t[part];
        const was = off.train[i][part];
        expect(got.labels).toEqual(was.labels);
        expect(got.itemIds).toEqual(was.itemIds);
        for (let r = 0; r < got.count; r++) {
          for (let f = 0; f < width; f++) {
            const v = got.itemIndices[r * width + f];
            expect(v === was.itemIndices[r * width + f] || (f === at && v === 0)).toBe(true);
          }
          rows += 1;
          dropped += got.itemIndices[r * width + at] === 0 ? 1 : 0;
        }
      }
    });
    expect(dropped / rows).toBeGreaterThan(0.35);
    expect(dropped / rows).toBeLessThan(0.65);
    const other = await offlineStoreTaskSet(dataSpec(root, { idDropout: 0.5, splitSeed: 1 }));
    expect(other.train).not.toEqual(a.train);
  });

  it('refuses a store with no eligible user', async () => {
    await expect(offlineStoreTaskSet(dataSpec(root, { minRatings: 50 }))).rejects.toMatchObject({ code: 'TRAIN_DATA_EMPTY' });
  });
});
