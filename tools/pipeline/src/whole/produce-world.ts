// A world (synthetic or real) as Kafka messages in the format ingest consumes (the schemas wire contract).
import { encodeRecord, InteractionSchema, ItemProfileSchema, UserProfileSchema } from '@metarec/schemas';
import type { EventProducer, OutgoingMessage } from '@metarec/streaming';

import type { World } from '../world/load-world.js';

/** Topic names of one run. */
export interface WorldTopics {
  readonly interactions: string;
  readonly userProfiles: string;
  readonly itemProfiles: string;
}

/** What was produced of a {@link World}. */
export interface ProducedWorld {
  readonly world: World;
  readonly bytes: number;
}

/**
 * The replay window: the data's event times are mapped into this window ending a minute ago, so
 * the online store's 1-day popularity window sees every event (`replayTimes`).
 */
export const REPLAY_WINDOW_MS = 20 * 3_600_000;

async function sendAll(producer: EventProducer, topic: string, messages: readonly OutgoingMessage[], batch = 2_000): Promise<number> {
  let bytes = 0;
  for (let i = 0; i < messages.length; i += batch) {
    const part = messages.slice(i, i + batch);
    await producer.send(topic, part);
    bytes += part.reduce((sum, m) => sum + (typeof m.value === 'string' ? Buffer.byteLength(m.value) : (m.value?.length ?? 0)), 0);
  }
  return bytes;
}

/**
 * Produces profiles first (keyed by id, dated just before the replay window), then the events in
 * event-time order, keyed by user (one user's events stay ordered within their partition).
 */
export async function produceWorld(producer: EventProducer, topics: WorldTopics, world: World): Promise<ProducedWorld> {
  const stamp = Date.now() - REPLAY_WINDOW_MS - 120_000;
  let bytes = await sendAll(producer, topics.userProfiles, world.dataset.users.map((u) => encodeRecord(UserProfileSchema, { ...u, updated_at_ms: stamp })));
  bytes += await sendAll(producer, topics.itemProfiles, world.dataset.items.map((i) => encodeRecord(ItemProfileSchema, { ...i, updated_at_ms: stamp })));
  bytes += await sendAll(producer, topics.interactions, world.events.map((e) => encodeRecord(InteractionSchema, e, { timestampMs: e.timestamp_ms })));
  return { world, bytes };
}

/** A brand-new item (published after training) with `template`'s content, and a few views of it, so it enters the popular list. */
export async function publishNewItem(
  producer: EventProducer,
  topics: WorldTopics,
  template: { readonly categories: readonly string[]; readonly release_year: number | null; readonly numeric_attributes: Readonly<Record<string, number>> },
  viewers: readonly string[],
): Promise<string> {
  const itemId = `new-item-${Date.now()}`;
  const now = Date.now();
  await producer.send(topics.itemProfiles, [
    encodeRecord(ItemProfileSchema, { item_id: itemId, title: 'A brand-new item', categories: template.categories, release_year: template.release_year, numeric_attributes: template.numeric_attributes, updated_at_ms: now }),
  ]);
  await producer.send(
    topics.interactions,
    viewers.map((userId, k) => encodeRecord(InteractionSchema, { user_id: userId, item_id: itemId, event_type: 'view', value: null, timestamp_ms: now + k, session_id: null, device: null })),
  );
  return itemId;
}
