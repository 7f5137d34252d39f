// Shared set-up of the ingest benches: an isolated topic set, the ingest pipeline wired in-process
// as apps/ingest wires it, metrics included (so the figure is the pipeline's, not tsx start-up), and a
// counting-only consumer over the same streaming interface for the bare-Kafka baseline.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { IngestMetrics, IngestPipeline, OfflineWriter, OnlineStore, type OnlineBatch, type OnlineSink } from '@metarec/feature-store';
import { createMetricsRegistry } from '@metarec/runtime';
import { createKafkaClient, DEFAULT_KAFKA_CLIENT_KIND, parseKafkaClientKind, type EventProducer, type KafkaClient, type ManualCommitConsumer, type TopicAdmin } from '@metarec/streaming';
import type { Redis } from 'ioredis';

/** Addresses from the environment, defaults of tools/dev-services. */
export const BROKERS = (process.env['KAFKA_BROKERS'] ?? 'localhost:9092').split(',');
export const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://localhost:6380';
/** Same as apps/ingest's default (3); env BENCH_PARTITIONS_CONSUMED_CONCURRENTLY overrides it for tuning. */
export const PARTITIONS_CONSUMED_CONCURRENTLY = Number(process.env['BENCH_PARTITIONS_CONSUMED_CONCURRENTLY'] ?? 3);
/** Fetch size per partition of every bench consumer (bare and ingest alike); env BENCH_MAX_BYTES_PER_PARTITION, default the streaming lib's (1 MiB). */
export const MAX_BYTES_PER_PARTITION = process.env['BENCH_MAX_BYTES_PER_PARTITION'] === undefined ? undefined : Number(process.env['BENCH_MAX_BYTES_PER_PARTITION']);

/** Topics of one bench run. */
export interface BenchTopics {
  readonly id: string;
  readonly interactions: string;
  readonly userProfiles: string;
  readonly itemProfiles: string;
  readonly deadLetter: string;
}

/** Creates fresh topics with `partitions` partitions. */
export async function benchTopics(admin: TopicAdmin, name: string, partitions: number): Promise<BenchTopics> {
  const id = `bench-${name}-${randomUUID().slice(0, 8)}`;
  const topics = { id, interactions: `${id}.interactions`, userProfiles: `${id}.users`, itemProfiles: `${id}.items`, deadLetter: `${id}.dlq` };
  await admin.ensureTopics([topics.interactions, topics.userProfiles, topics.itemProfiles, topics.deadLetter].map((topic) => ({ topic, partitions })));
  return topics;
}

/** The Kafka client library of the benches: env KAFKA_CLIENT, as the apps read it. */
export const KAFKA_CLIENT = parseKafkaClientKind(process.env['KAFKA_CLIENT'] ?? DEFAULT_KAFKA_CLIENT_KIND);

/** The Kafka client of the benches (library: {@link KAFKA_CLIENT}). */
export function benchKafka(clientId = 'metarec-bench'): Promise<KafkaClient> {
  return createKafkaClient({ kind: KAFKA_CLIENT, brokers: BROKERS, clientId });
}

/** A running in-process ingest: consumer → pipeline → offline dir + Redis prefix. */
export interface RunningIngest {
  readonly consumer: ManualCommitConsumer;
  readonly pipeline: IngestPipeline;
  readonly root: string;
  readonly prefix: string;
  /** Records applied to the online store so far. */
  applied(): number;
  /** Stops intake, flushes, commits, disconnects, and removes the offline dir and Redis keys. */
  close(): Promise<void>;
}

/** Options of {@link startIngest}. */
export interface StartIngestOptions {
  readonly topics: BenchTopics;
  readonly redis: Redis;
  readonly producer: EventProducer;
  readonly flushRows?: number;
  readonly flushAgeMs?: number;
  /** Events per online-store script call. @defaultValue the store's default */
  readonly maxEventsPerCall?: number;
  /** Back-pressure bound of unacknowledged online writes. @defaultValue the pipeline's default */
  readonly maxPendingOnlineEvents?: number;
  /** Online co-occurrence window. @defaultValue the store's default */
  readonly coOccurrenceWindow?: number;
  /** Called when the consumer got its first partitions (the benches start their clocks there). */
  readonly onAssigned?: () => void;
  /** Observes every online batch once Redis acknowledged it. */
  readonly onApplied?: (batches: readonly OnlineBatch[], ackMs: number) => void;
}

/** Starts the pipeline in this process, as apps/ingest's main.ts does. */
export async function startIngest(options: StartIngestOptions): Promise<RunningIngest> {
  const { topics, redis } = options;
  const root = await mkdtemp(join(tmpdir(), `${topics.id}-`));
  const prefix = `${topics.id}:${randomUUID().slice(0, 6)}:`;
  const store = new OnlineStore({ redis, keyPrefix: prefix, coOccurrenceWindow: options.coOccurrenceWindow, maxEventsPerCall: options.maxEventsPerCall });
  let applied = 0;
  const online: OnlineSink = {
    apply: async (batches) => {
      const n = await store.apply(batches);
      const ackMs = Date.now();
      applied += batches.reduce((sum, b) => sum + b.entries.length, 0);
      options.onApplied?.(batches, ackMs);
      return n;
    },
  };
  const consumer = await (await benchKafka('metarec-bench-ingest')).createManualCommitConsumer(
    {
      groupId: `${topics.id}-ingest-${randomUUID().slice(0, 6)}`,
      partitionsConsumedConcurrently: PARTITIONS_CONSUMED_CONCURRENTLY,
      maxBytesPerPartition: MAX_BYTES_PER_PARTITION,
      onPartitionsAssigned: () => options.onAssigned?.(),
      onPartitionsRevoked: (partitions) => pipeline.revoke(partitions),
    },
  );
  const pipeline = new IngestPipeline({
    topics: { interactions: topics.interactions, userProfiles: topics.userProfiles, itemProfiles: topics.itemProfiles },
    offline: new OfflineWriter({ root }),
    online,
    deadLetters: { send: async (records) => void (await options.producer.send(topics.deadLetter, records)) },
    committer: consumer,
    // As apps/ingest: per-event metrics (the event → online histogram costs ~0.3 µs per event).
    metrics: new IngestMetrics(createMetricsRegistry()),
    flushRows: options.flushRows,
    flushAgeMs: options.flushAgeMs,
    maxPendingOnlineEvents: options.maxPendingOnlineEvents,
  });
  await consumer.subscribe(pipeline.topicNames(), { fromBeginning: true });
  pipeline.start();
  await consumer.run((batch, context) => pipeline.handleBatch(batch, context));
  return {
    consumer,
    pipeline,
    root,
    prefix,
    applied: () => applied,
    close: async () => {
      await consumer.drain();
      await pipeline.close();
      await consumer.close();
      await rm(root, { recursive: true, force: true });
      const keys = await redis.keys(`${prefix}*`);
      for (let i = 0; i < keys.length; i += 1_000) {
        await redis.del(...keys.slice(i, i + 1_000));
      }
    },
  };
}

/** Sorted-array percentiles for large samples (no argument spreading). */
export function percentiles(values: Float64Array, ps: readonly number[]): Record<string, number> {
  const sorted = Float64Array.from(values).sort();
  const out: Record<string, number> = {};
  for (const p of ps) {
    const rank = (p / 100) * (sorted.length - 1);
    const lo = Math.floor(rank);
    const hi = Math.ceil(rank);
    out[`p${p}`] = Math.round((sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo)) * 10) / 10;
  }
  return out;
}

/** Resolves once `done()` holds, polling every `everyMs`; rejects after `timeoutMs`. */
export async function until(done: () => boolean, timeoutMs: number, everyMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) {
      throw new Error(`condition not met within ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** CPU seconds used so far by this process, Redis and the Kafka broker (undefined where unreadable). */
export interface CpuSnapshot {
  readonly node: number;
  readonly redis: number;
  readonly broker: number | undefined;
}

/** CPU µs per event of each process between two snapshots. */
export interface CpuPerEvent {
  readonly node: number;
  readonly redis: number;
  readonly broker: number | null;
}

/** Where tools/dev-services writes the broker's pid (repo root as the working directory). */
export const BROKER_PID_FILE = process.env['KAFKA_PID_FILE'] ?? '.data/services/kafka/kafka.pid';
const CLOCK_TICKS_PER_SEC = 100; // USER_HZ on Linux

function brokerCpuSec(): number | undefined {
  try {
    const pid = readFileSync(BROKER_PID_FILE, 'utf8').trim();
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SEC; // utime, stime
  } catch (error) {
    console.error(`broker CPU unavailable: ${(error as Error).message}`);
    return undefined;
  }
}

/**
 * CPU time per process, so a stage's cost can be stated per event independently of the other
 * load on the box (events/s swing 2× with it, CPU µs per event far less). Redis's counter covers
 * every client of that Redis, so other work using it at the same time inflates it.
 */
export async function cpuSnapshot(redis: Redis): Promise<CpuSnapshot> {
  const info = await redis.info('cpu');
  const get = (name: string): number => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1] ?? 0);
  const usage = process.cpuUsage();
  return { node: (usage.user + usage.system) / 1e6, redis: get('used_cpu_user') + get('used_cpu_sys'), broker: brokerCpuSec() };
}

/** CPU µs per event between `from` and `to`. */
export function cpuPerEvent(from: CpuSnapshot, to: CpuSnapshot, events: number): CpuPerEvent {
  const us = (sec: number): number => Math.round(((sec * 1e6) / events) * 100) / 100;
  return {
    node: us(to.node - from.node),
    redis: us(to.redis - from.redis),
    broker: from.broker === undefined || to.broker === undefined ? null : us(to.broker - from.broker),
  };
}
