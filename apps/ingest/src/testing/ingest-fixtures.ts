// Shared pieces of the ingest app's integration tests: isolated topics/group/store per scenario,
// event production, waiting for the group to catch up, and dumps of both stores to compare.
import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { OfflineReader, offlineRecords } from '@metarec/feature-store';
import { encodeRecord, InteractionSchema, wireHeaders, type Interaction } from '@metarec/schemas';
import type { EventProducer, OutgoingMessage, TopicAdmin } from '@metarec/streaming';
import type { Redis } from 'ioredis';

/** Topics, group, offline root and Redis prefix of one scenario, as env for the app. */
export interface Scenario {
  readonly id: string;
  readonly topics: { readonly interactions: string; readonly userProfiles: string; readonly itemProfiles: string; readonly deadLetter: string };
  env(run: string, overrides?: Readonly<Record<string, string>>): Promise<{ env: Record<string, string>; root: string; prefix: string; group: string }>;
}

/** A fresh scenario; each `env(run)` gets its own group, offline root and Redis prefix over the same topics. */
export function scenario(name: string): Scenario {
  const id = `it-${name}-${randomUUID().slice(0, 8)}`;
  const topics = { interactions: `${id}.interactions`, userProfiles: `${id}.users`, itemProfiles: `${id}.items`, deadLetter: `${id}.dlq` };
  return {
    id,
    topics,
    async env(run, overrides = {}) {
      const root = await mkdtemp(join(tmpdir(), `${id}-${run}-`));
      const prefix = `${id}:${run}:`;
      const group = `${id}-${run}`;
      const env = {
        TOPIC_INTERACTIONS: topics.interactions,
        TOPIC_USER_PROFILES: topics.userProfiles,
        TOPIC_ITEM_PROFILES: topics.itemProfiles,
        TOPIC_DEAD_LETTER: topics.deadLetter,
        TOPIC_PARTITIONS: '4',
        INGEST_GROUP_ID: group,
        OFFLINE_STORE_DIR: root,
        ONLINE_KEY_PREFIX: prefix,
        FLUSH_ROWS: '300',
        FLUSH_AGE_MS: '400',
        LOG_LEVEL: 'info',
        // The broker's minimum: a killed instance leaves the group after 6 s instead of 30 s.
        KAFKA_SESSION_TIMEOUT_MS: '6000',
        KAFKA_HEARTBEAT_INTERVAL_MS: '1000',
        ...overrides,
      };
      return { env, root, prefix, group };
    },
  };
}

/** Event `i` of a test stream: unique `session_id` (`s<i>`) so distinct keys can be counted. */
export function testInteraction(i: number, baseMs: number): Interaction {
  return {
    user_id: `u${i % 37}`,
    item_id: `i${(i * 7) % 53}`,
    event_type: 'rating',
    value: 1 + (i % 5),
    timestamp_ms: baseMs + i,
    session_id: `s${i}`,
    device: null,
  };
}

/** Interactions `from..to-1` as messages; every `malformedEvery`-th is broken JSON (dead-lettered). */
export function interactionMessages(from: number, to: number, baseMs: number, malformedEvery = 0): OutgoingMessage[] {
  const messages: OutgoingMessage[] = [];
  for (let i = from; i < to; i += 1) {
    const event = testInteraction(i, baseMs);
    const broken = malformedEvery > 0 && i % malformedEvery === malformedEvery - 1;
    messages.push(broken ? { key: event.user_id, value: `{"user_id":"${event.user_id}",`, headers: wireHeaders(InteractionSchema) } : encodeRecord(InteractionSchema, event));
  }
  return messages;
}

/** How many of `from..to-1` are valid under {@link interactionMessages}. */
export function validCount(from: number, to: number, malformedEvery: number): number {
  let n = 0;
  for (let i = from; i < to; i += 1) {
    if (!(malformedEvery > 0 && i % malformedEvery === malformedEvery - 1)) {
      n += 1;
    }
  }
  return n;
}

/** Produces in chunks with a pause between them, so a consumer sees a stream, not a backlog. */
export async function produceStream(producer: EventProducer, topic: string, messages: readonly OutgoingMessage[], chunk: number, pauseMs: number, onChunk?: (sent: number) => Promise<void>): Promise<void> {
  for (let i = 0; i < messages.length; i += chunk) {
    await producer.send(topic, messages.slice(i, i + chunk));
    await onChunk?.(Math.min(i + chunk, messages.length));
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
}

/** Waits until `group` has committed the end offset of every partition of `topic`. */
export async function waitForCommitted(admin: TopicAdmin, group: string, topic: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [ends, committed] = await Promise.all([admin.endOffsets(topic), admin.committedOffsets(group, topic)]);
    const behind = [...ends].filter(([partition, end]) => end > 0n && (committed.get(partition) ?? -1n) < end);
    if (behind.length === 0) {
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(`group ${group} still behind on ${topic}: ${behind.map(([p, e]) => `${p}:${committed.get(p) ?? 'none'}/${e}`).join(', ')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Rows and distinct session ids of the offline interactions of every date. */
export async function offlineInteractions(root: string): Promise<{ rows: number; distinct: number; sessions: string[] }> {
  const table = await new OfflineReader({ root }).readRange('interactions', { fromDate: '2000-01-01', toDate: '2100-12-31' });
  const sessions = offlineRecords('interactions', table).map((r) => String((r as Interaction).session_id));
  return { rows: table.numRows, distinct: new Set(sessions).size, sessions };
}

/** Every key under `prefix` with its content (zsets with scores, strings, hashes), the prefix stripped. */
export async function dumpOnline(redis: Redis, prefix: string): Promise<Record<string, unknown>> {
  const keys = (await redis.keys(`${prefix}*`)).sort();
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const type = await redis.type(key);
    out[key.slice(prefix.length)] = type === 'zset' ? await redis.zrange(key, 0, -1, 'WITHSCORES') : type === 'list' ? await redis.lrange(key, 0, -1) : type === 'string' ? await redis.get(key) : await redis.hgetall(key);
  }
  return out;
}

/** Deletes every key under `prefix`. */
export async function clearOnline(redis: Redis, prefix: string): Promise<void> {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) {
    await redis.del(...keys);
  }
}
