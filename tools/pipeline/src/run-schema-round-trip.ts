import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { generateSynthetic, interactionRecords } from '@metarec/datasets';
import { decodeRecord, encodeRecord, InteractionSchema, readIpc, recordsToTable, writeIpcFile, type Interaction, type WireRejectReason } from '@metarec/schemas';
import { malformedInteractions } from '@metarec/schemas/testing';
import { writeFileAtomic } from '@metarec/runtime';
import type { ConsumedMessage, ConsumerOptions, EventConsumer, EventProducer, OutgoingMessage, TopicAdmin } from '@metarec/streaming';

/** What the round trip needs from `@metarec/streaming` (any `KafkaClient` fits). */
export interface StreamingFactory {
  createProducer(): Promise<EventProducer>;
  createConsumer(options: ConsumerOptions): Promise<EventConsumer>;
  createTopicAdmin(): Promise<TopicAdmin>;
}

/** Stage names reported to `onProgress`. */
export type SchemaRoundTripStage = 'produce' | 'consume';

/** Options of `runSchemaRoundTrip`. Sizes are counts, times ms. */
export interface SchemaRoundTripOptions {
  readonly streaming: StreamingFactory;
  /** Directory of the Arrow file (created if missing). */
  readonly outDir: string;
  /** Synthetic users. @defaultValue 200 */
  readonly users?: number;
  /** Synthetic items. @defaultValue 100 */
  readonly items?: number;
  /** Generator seed: the same seed gives the same events. @defaultValue 7 */
  readonly seed?: number;
  /** Partitions of the run's topic. @defaultValue 3 */
  readonly partitions?: number;
  /** Messages per `send`. @defaultValue 500 */
  readonly sendBatchSize?: number;
  /** Keep the run's topic instead of deleting it at the end. @defaultValue false */
  readonly keepTopic?: boolean;
  /** Give up consuming after this long. @defaultValue 120_000 */
  readonly consumeTimeoutMs?: number;
  /** Identifies the run in topic, group and file names. @defaultValue a timestamp + random suffix */
  readonly runId?: string;
  /** Progress of produce/consume, e.g. for a progress bar. */
  readonly onProgress?: (stage: SchemaRoundTripStage, done: number, total: number) => void;
}

/** Header tagging each message with the run that produced it (beside the wire contract's). */
export const RUN_ID_HEADER = 'metarec-run-id';

/** One kind of rejection seen while consuming. */
export interface RejectionCount {
  /** The wire contract's rejection reason (what ingest writes as `dlq-reason`). */
  readonly code: WireRejectReason;
  /** The field it names; `''` for the payload as a whole. */
  readonly field: string;
  readonly count: number;
  readonly example: string;
}

/** What a run did, for printing and for tests. */
export interface SchemaRoundTripSummary {
  readonly runId: string;
  readonly topic: string;
  readonly generated: number;
  readonly malformed: number;
  readonly produced: number;
  readonly consumed: number;
  readonly accepted: number;
  readonly rejections: readonly RejectionCount[];
  /** Rejections (reason and field) match, one for one, those the malformed corpus was built to cause. */
  readonly rejectedAsExpected: boolean;
  readonly file: {
    readonly path: string;
    readonly bytes: number;
    readonly rows: number;
    readonly columns: readonly { readonly name: string; readonly type: string }[];
    readonly schema: string;
    readonly fingerprint: string;
  };
  readonly timingsMs: Readonly<Record<'generate' | 'produce' | 'consume' | 'write' | 'total', number>>;
}

const DEFAULTS = { users: 200, items: 100, seed: 7, partitions: 3, sendBatchSize: 500, keepTopic: false, consumeTimeoutMs: 120_000 };

function defaultRunId(): string {
  const stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return `${stamp}-${randomUUID().slice(0, 6)}`;
}

function compareEvents(a: Interaction, b: Interaction): number {
  return a.timestamp_ms - b.timestamp_ms || (a.user_id ?? '').localeCompare(b.user_id ?? '') || (a.item_id ?? '').localeCompare(b.item_id ?? '');
}

async function produceAll(producer: EventProducer, topic: string, messages: readonly OutgoingMessage[], batchSize: number, onProgress: SchemaRoundTripOptions['onProgress']): Promise<void> {
  for (let start = 0; start < messages.length; start += batchSize) {
    const chunk = messages.slice(start, start + batchSize);
    await producer.send(topic, chunk);
    onProgress?.('produce', start + chunk.length, messages.length);
  }
}

async function consumeAll(consumer: EventConsumer, topic: string, expected: number, timeoutMs: number, onProgress: SchemaRoundTripOptions['onProgress']): Promise<ConsumedMessage[]> {
  const received: ConsumedMessage[] = [];
  await consumer.subscribe([topic], { fromBeginning: true });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`consumed ${received.length} of ${expected} messages within ${timeoutMs} ms`)), timeoutMs);
    consumer
      .run(async (batch) => {
        received.push(...batch.messages);
        onProgress?.('consume', received.length, expected);
        if (received.length >= expected) {
          clearTimeout(timer);
          resolve();
        }
      })
      .catch((error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      });
  });
  return received;
}

interface Rejection {
  readonly reason: WireRejectReason;
  readonly field: string;
  readonly detail: string;
}

function countRejections(rejected: readonly Rejection[]): RejectionCount[] {
  const counts = new Map<string, RejectionCount>();
  for (const entry of rejected) {
    const id = `${entry.reason} ${entry.field}`;
    const previous = counts.get(id);
    counts.set(id, { code: entry.reason, field: entry.field, count: (previous?.count ?? 0) + 1, example: previous?.example ?? entry.detail });
  }
  return [...counts.values()].sort((a, b) => a.field.localeCompare(b.field) || a.code.localeCompare(b.code));
}

/**
 * The schema round trip (`metarec-pipeline --schema-only`; the whole pipeline is `whole/run-whole-pipeline.ts`):
 * generate synthetic interactions (plus the shared malformed corpus), produce them to a fresh Kafka
 * topic through the wire contract, consume them back as a consumer group, decode each as ingest does
 * (`decodeRecord`), and write the valid ones, time-ordered, to one Arrow IPC file
 * carrying the schema fingerprint, read back to verify it.
 */
export async function runSchemaRoundTrip(options: SchemaRoundTripOptions): Promise<SchemaRoundTripSummary> {
  const o = { ...DEFAULTS, ...options };
  const runId = o.runId ?? defaultRunId();
  const topic = `metarec-pipeline-${runId}`;
  const started = Date.now();

  const dataset = generateSynthetic({ seed: o.seed, users: o.users, items: o.items, interactionsPerUser: { min: 5, max: 40 } });
  const events = interactionRecords(dataset);
  const broken = malformedInteractions(events[0] as Interaction);
  const runHeader = { [RUN_ID_HEADER]: runId };
  const messages: OutgoingMessage[] = [
    ...events.map((event) => encodeRecord(InteractionSchema, event, { headers: runHeader })),
    ...broken.map(({ message }) => ({ ...message, headers: { ...message.headers, ...runHeader } })),
  ];
  const generatedAt = Date.now();

  const admin = await o.streaming.createTopicAdmin();
  try {
    await admin.ensureTopics([{ topic, partitions: o.partitions }]);
    const producer = await o.streaming.createProducer();
    try {
      await produceAll(producer, topic, messages, o.sendBatchSize, o.onProgress);
    } finally {
      await producer.close();
    }
    const producedAt = Date.now();

    const consumer = await o.streaming.createConsumer({ groupId: `metarec-pipeline-${runId}` });
    let received: ConsumedMessage[];
    try {
      received = await consumeAll(consumer, topic, messages.length, o.consumeTimeoutMs, o.onProgress);
    } finally {
      await consumer.close();
    }
    const consumedAt = Date.now();

    const accepted: Interaction[] = [];
    const rejected: Rejection[] = [];
    for (const message of received) {
      const decoded = decodeRecord(InteractionSchema, message);
      if (decoded.ok) {
        accepted.push(decoded.record);
      } else {
        rejected.push(decoded);
      }
    }
    accepted.sort(compareEvents);
    const file = await writeArrowFile(accepted, o.outDir, runId);
    const writtenAt = Date.now();

    const sortedRejections = (list: readonly { reason: string; field: string }[]): string => list.map((r) => `${r.reason} ${r.field}`).sort().join(',');
    return {
      runId,
      topic,
      generated: events.length,
      malformed: broken.length,
      produced: messages.length,
      consumed: received.length,
      accepted: accepted.length,
      rejections: countRejections(rejected),
      rejectedAsExpected: sortedRejections(rejected) === sortedRejections(broken),
      file,
      timingsMs: {
        generate: generatedAt - started,
        produce: producedAt - generatedAt,
        consume: consumedAt - producedAt,
        write: writtenAt - consumedAt,
        total: writtenAt - started,
      },
    };
  } finally {
    if (!o.keepTopic) {
      await admin.deleteTopics([topic]);
    }
    await admin.close();
  }
}

async function writeArrowFile(records: readonly Interaction[], outDir: string, runId: string): Promise<SchemaRoundTripSummary['file']> {
  // Already validated on consume; recordsToTable would only repeat the work.
  const table = recordsToTable(InteractionSchema, records, { validate: false });
  const bytes = writeIpcFile(table);
  const path = join(outDir, `interactions-${runId}.arrow`);
  // Temp file, fsync, rename: a reader never sees a half-written file.
  await writeFileAtomic(path, bytes);
  // Read back from disk: proves the file parses and its fingerprint matches the schema.
  const { table: reread } = readIpc(new Uint8Array(await readFile(path)), InteractionSchema);
  return {
    path,
    bytes: bytes.byteLength,
    rows: reread.numRows,
    columns: reread.schema.fields.map((f) => ({ name: f.name, type: String(f.type) })),
    schema: `${InteractionSchema.name}/v${InteractionSchema.version}`,
    fingerprint: InteractionSchema.fingerprint,
  };
}
