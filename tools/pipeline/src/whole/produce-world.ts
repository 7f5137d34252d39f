// The synthetic world as Kafka messages in the format ingest consumes (the schemas wire contract).
import { generateSynthetic, interactionRecords, type SyntheticDataset } from '@metarec/datasets';
import { encodeRecord, InteractionSchema, ItemProfileSchema, UserProfileSchema, type Interaction } from '@metarec/schemas';
import type { EventProducer, OutgoingMessage } from '@metarec/streaming';

/** Topic names of one run. */
export interface WorldTopics {
  readonly interactions: string;
  readonly userProfiles: string;
  readonly itemProfiles: string;
}

/** The generated world and what was produced. */
export interface ProducedWorld {
  readonly dataset: SyntheticDataset;
  readonly events: readonly Interaction[];
  /** Users that arrive late in the world (cold at training time if they fall in the held-out split). */
  readonly newUsers: number;
  readonly newItems: number;
  readonly bytes: number;
}

/** Event times are mapped into this window ending now, so the online store's 1-day popularity window sees them. */
const WINDOW_MS = 20 * 3_600_000;

/** Generates the world: explicit ratings, some late users and items (cold start). */
export function generateWorld(users: number, items: number, seed: number): { dataset: SyntheticDataset; events: Interaction[] } {
  const dataset = generateSynthetic({ seed, users, items, interactionsPerUser: { min: 20, max: 60 }, newUserFraction: 0.2, newItemFraction: 0.1 });
  const events = interactionRecords(dataset).sort((a, b) => a.timestamp_ms - b.timestamp_ms);
  const first = events[0]?.timestamp_ms ?? 0;
  const span = Math.max(1, (events.at(-1)?.timestamp_ms ?? 0) - first);
  const end = Date.now() - 60_000;
  // Order-preserving map of the generator's 90 days into the last 20 hours.
  return { dataset, events: events.map((e) => ({ ...e, timestamp_ms: Math.round(end - WINDOW_MS + ((e.timestamp_ms - first) / span) * WINDOW_MS) })) };
}

async function sendAll(producer: EventProducer, topic: string, messages: readonly OutgoingMessage[], batch = 2_000): Promise<number> {
  let bytes = 0;
  for (let i = 0; i < messages.length; i += batch) {
    const part = messages.slice(i, i + batch);
    await producer.send(topic, part);
    bytes += part.reduce((sum, m) => sum + (typeof m.value === 'string' ? Buffer.byteLength(m.value) : (m.value?.length ?? 0)), 0);
  }
  return bytes;
}

/** Produces profiles first (keyed by id), then events keyed by user (one user's events stay ordered). */
export async function produceWorld(producer: EventProducer, topics: WorldTopics, world: { dataset: SyntheticDataset; events: readonly Interaction[] }): Promise<ProducedWorld> {
  const stamp = (Date.now() - WINDOW_MS - 120_000);
  let bytes = await sendAll(producer, topics.userProfiles, world.dataset.users.map((u) => encodeRecord(UserProfileSchema, { ...u, updated_at_ms: stamp })));
  bytes += await sendAll(producer, topics.itemProfiles, world.dataset.items.map((i) => encodeRecord(ItemProfileSchema, { ...i, updated_at_ms: stamp })));
  bytes += await sendAll(producer, topics.interactions, world.events.map((e) => encodeRecord(InteractionSchema, e, { timestampMs: e.timestamp_ms })));
  return {
    dataset: world.dataset,
    events: world.events,
    newUsers: world.dataset.isNewUser.reduce((n, v) => n + v, 0),
    newItems: world.dataset.isNewItem.reduce((n, v) => n + v, 0),
    bytes,
  };
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
