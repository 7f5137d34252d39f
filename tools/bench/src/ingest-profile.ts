// Where an ingested event's CPU goes: runs ONE consumer mode over a fresh backlog of interactions
// and reports CPU µs per event of this process (user+sys), of Redis (INFO cpu) and of the Kafka
// broker (/proc/<pid>/stat), so stages can be compared independently of the machine's other load
// (CPU time per event moves far less with load than events/s). With --cpu-prof <file> it also
// writes a V8 CPU profile of the consume phase only (set-up and produce excluded); summarise it
// with ingest-profile-summary.ts for the split inside this process.
// Usage: npx tsx --conditions=@metarec/source tools/bench/src/ingest-profile.ts --mode full|parse|bare [--events 200000] [--flush-rows 50000] [--cpu-prof /tmp/full.cpuprofile]
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import os from 'node:os';
import { parseArgs } from 'node:util';

import { EventSource, pacedSend } from '@metarec/loadgen';
import { decodeRecord, InteractionSchema } from '@metarec/schemas';
import type { OutgoingMessage } from '@metarec/streaming';
import { Redis } from 'ioredis';

import { benchKafka, benchTopics, cpuPerEvent, cpuSnapshot, MAX_BYTES_PER_PARTITION, PARTITIONS_CONSUMED_CONCURRENTLY, REDIS_URL, startIngest, until, type CpuSnapshot } from './ingest-bench-setup.js';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '200000' },
    mode: { type: 'string', default: 'full' },
    partitions: { type: 'string', default: '6' },
    'cpu-prof': { type: 'string' },
    'flush-rows': { type: 'string' },
    'max-pending-online': { type: 'string' },
    'max-events-per-call': { type: 'string' },
  },
});
const EVENTS = Number(values.events);
const MODE = values.mode;
if (MODE !== 'full' && MODE !== 'parse' && MODE !== 'bare') {
  throw new Error(`--mode must be full, parse or bare, got ${MODE}`);
}
const kafka = await benchKafka();
const admin = await kafka.createTopicAdmin();
const producer = await kafka.createProducer();
const redis = new Redis(REDIS_URL);
const topics = await benchTopics(admin, 'profile', Number(values.partitions));
const source = new EventSource({ synthetic: { users: 5_000, items: 2_000 } });
await pacedSend<OutgoingMessage>({
  count: EVENTS,
  ratePerSec: Infinity,
  batchSize: 1_000,
  next: (n) => source.next(n).map((m) => ({ key: m.key, value: m.value, headers: m.headers })),
  send: async (batch) => void (await producer.send(topics.interactions, batch)),
});

let count = 0;
let first = 0;
let cpu0: CpuSnapshot | undefined;
const session = values['cpu-prof'] === undefined ? undefined : new Session();
session?.connect();
async function markStart(): Promise<void> {
  first = performance.now();
  if (session !== undefined) {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 200 });
    await session.post('Profiler.start');
  }
  cpu0 = await cpuSnapshot(redis);
}

let finish: () => Promise<void> = async () => undefined;
if (MODE === 'full') {
  const ingest = await startIngest({ topics, redis, producer, flushRows: values['flush-rows'] === undefined ? undefined : Number(values['flush-rows']),
    maxPendingOnlineEvents: values['max-pending-online'] === undefined ? undefined : Number(values['max-pending-online']),
    maxEventsPerCall: values['max-events-per-call'] === undefined ? undefined : Number(values['max-events-per-call']),
    onAssigned: () => void (first === 0 && markStart()) });
  await until(() => ingest.applied() >= EVENTS, 600_000, 5);
  await ingest.pipeline.flush();
  finish = () => ingest.close();
} else {
  const consumer = await (await benchKafka('metarec-bench-profile')).createManualCommitConsumer(
    {
      groupId: `${topics.id}-${MODE}`,
      partitionsConsumedConcurrently: PARTITIONS_CONSUMED_CONCURRENTLY,
      maxBytesPerPartition: MAX_BYTES_PER_PARTITION,
      onPartitionsAssigned: () => void (first === 0 && markStart()),
    },
  );
  await consumer.subscribe([topics.interactions]);
  await consumer.run(async (batch) => {
    const nowMs = Date.now();
    for (const message of batch.messages) {
      count += MODE === 'parse' ? (decodeRecord(InteractionSchema, message, { maxMessageBytes: 1_048_576, nowMs }).ok ? 1 : 0) : message.value === null ? 0 : 1;
    }
  });
  await until(() => count >= EVENTS, 600_000, 5);
  finish = () => consumer.close();
}
const end = performance.now();
const cpu1 = await cpuSnapshot(redis);
if (session !== undefined) {
  const { profile } = await session.post('Profiler.stop');
  writeFileSync(values['cpu-prof'] as string, JSON.stringify(profile));
  session.disconnect();
}
const report = {
  mode: MODE,
  events: EVENTS,
  eventsPerSec: Math.round((EVENTS * 1000) / (end - first)),
  cpuUsPerEvent: cpuPerEvent(cpu0 as CpuSnapshot, cpu1, EVENTS),
  loadavg: os.loadavg().map((v) => Math.round(v * 100) / 100),
};
console.log(JSON.stringify(report));
await finish();
await admin.deleteTopics([topics.interactions, topics.userProfiles, topics.itemProfiles, topics.deadLetter]);
await Promise.all([admin.close(), producer.close()]);
await redis.quit();
