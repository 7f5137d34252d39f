// Test helper: writes a synthetic world into the real online store, as ingest would.
import type { OnlineBatch, OnlineStore } from '@metarec/feature-store';
import type { Interaction } from '@metarec/schemas';
import type { TestWorld } from '@metarec/serving/testing';

/**
 * Applies the world's profiles and events to `store`, with event times shifted into the hour
 * before `nowMs` (order kept) so they fall inside the popularity window.
 */
export async function seedOnlineStore(store: OnlineStore, world: TestWorld, nowMs: number): Promise<void> {
  const times = world.interactions.map((e) => e.timestamp_ms);
  const [first, last] = [Math.min(...times), Math.max(...times)];
  const span = Math.max(1, last - first);
  const shift = (e: Interaction): Interaction => ({ ...e, timestamp_ms: Math.round(nowMs - 3_600_000 + ((e.timestamp_ms - first) / span) * 3_500_000) });
  const events = [...world.interactions].sort((a, b) => a.timestamp_ms - b.timestamp_ms).map(shift);
  const batches: OnlineBatch[] = [
    { kind: 'user_profiles', topic: 'seed-users', partition: 0, entries: world.dataset.users.map((record, i) => ({ offset: BigInt(i), record })) },
    { kind: 'item_profiles', topic: 'seed-items', partition: 0, entries: world.dataset.items.map((record, i) => ({ offset: BigInt(i), record })) },
    { kind: 'interactions', topic: 'seed-events', partition: 0, entries: events.map((record, i) => ({ offset: BigInt(i), record })) },
  ];
  await store.apply(batches);
}
