// End-to-end ingest throughput (Kafka → validation → Redis + Arrow files, committed) against a
// bare consumer that only counts the same messages and a parse-only consumer that also runs the
// ingest's decode + validation on each (the ceiling for any ingest that validates), in the same
// run, alternating. With per-event co-occurrence off (the default) it also times the periodic
// co-occurrence rebuild over the offline store the run wrote. Each consumer's CPU µs per event
// (this process, Redis, the broker) is recorded too: Redis and the broker share the 2 cores.
// Usage: npx tsx --conditions=@metarec/source tools/bench/src/ingest-throughput.ts [--events 100000] [--rounds 2] [--co-window 5]
import os from 'node:os';
import { parseArgs } from 'node:util';

import { OfflineReader, rebuildCoOccurrence, utcDateOf } from '@metarec/feature-store';
import { EventSource, pacedSend } from '@metarec/loadgen';
import { decodeRecord, InteractionSchema } from '@metarec/schemas';
import type { OutgoingMessage } from '@metarec/streaming';
import { Redis } from 'ioredis';

import { benchEnvironment, printTable, writeResult } from './bench-report.js';
import { benchKafka, benchTopics, cpuPerEvent, cpuSnapshot, MAX_BYTES_PER_PARTITION, PARTITIONS_CONSUMED_CONCURRENTLY, REDIS_URL, startIngest, until, type CpuPerEvent, type CpuSnapshot } from './ingest-bench-setup.js';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '100000' },
    rounds: { type: 'string', default: '2' },
    partitions: { type: 'string', default: '6' },
    'co-window': { type: 'string' },
    'flush-rows': { type: 'string' },
    out: { type: 'string', default: 'ingest-throughput' },
  },
});
const CO_WINDOW = values['co-window'] === undefined ? undefined : Number(values['co-window']);
const FLUSH_ROWS = values['flush-rows'] === undefined ? undefined : Number(values['flush-rows']);
const EVENTS = Number(values.events);
const ROUNDS = Number(values.rounds);
const PARTITIONS = Number(values.partitions);
const env = benchEnvironment();
const kafka = await benchKafka();
const admin = await kafka.createTopicAdmin();
const producer = await kafka.createProducer();
const redis = new Redis(REDIS_URL);
const topics = await benchTopics(admin, 'throughput', PARTITIONS);

const source = new EventSource({ synthetic: { users: 5_000, items: 2_000 } });
const produced = await pacedSend<OutgoingMessage>({
  count: EVENTS,
  ratePerSec: Infinity,
  batchSize: 1_000,
  next: (n) => source.next(n).map((m) => ({ key: m.key, value: m.value, headers: m.headers })),
  send: async (batch) => void (await producer.send(topics.interactions, batch)),
});
console.error(`produced ${produced.sent} events at ${Math.round(produced.ratePerSec)}/s`);

/**
 * Events per second from the group's first assignment (before the first fetch, so every
 * message's fetch and decode is inside the window; the join itself is excluded) to the last, wall time
 * incl. join, and CPU µs per event of this process, Redis and the broker over the same span.
 */
interface Rate {
  readonly eventsPerSec: number;
  readonly steadyMs: number;
  readonly wallMs: number;
  readonly cpuUsPerEvent: CpuPerEvent;
}

/** A consumer that counts (`parse` false) or also decodes and validates (`parse` true) each message. */
async function bare(round: number, parse = false): Promise<Rate> {
  let count = 0;
  let first = 0;
  let cpu0: Promise<CpuSnapshot> | undefined;
  const started = performance.now();
  const start = (): void => {
    if (first === 0) {
      first = performance.now();
      cpu0 = cpuSnapshot(redis);
    }
  };
  const consumer = await (await benchKafka('metarec-bench-bare')).createManualCommitConsumer(
    {
      groupId: `${topics.id}-${parse ? 'parse' : 'bare'}-${round}`,
      partitionsConsumedConcurrently: PARTITIONS_CONSUMED_CONCURRENTLY,
      maxBytesPerPartition: MAX_BYTES_PER_PARTITION,
      onPartitionsAssigned: start,
    },
  );
  await consumer.subscribe([topics.interactions]);
  await consumer.run(async (batch) => {
    if (parse) {
      const nowMs = Date.now();
      for (const message of batch.messages) {
        count += decodeRecord(InteractionSchema, message, { maxMessageBytes: 1_048_576, nowMs }).ok ? 1 : 0;
      }
      return;
    }
    for (const message of batch.messages) {
      count += message.value === null ? 0 : 1;
    }
  });
  await until(() => count >= EVENTS, 600_000, 5);
  const end = performance.now();
  const cpuUsPerEvent = cpuPerEvent(await (cpu0 as Promise<CpuSnapshot>), await cpuSnapshot(redis), EVENTS);
  await consumer.close();
  return { eventsPerSec: (EVENTS * 1000) / (end - first), steadyMs: end - first, wallMs: end - started, cpuUsPerEvent };
}

async function full(): Promise<Rate> {
  let first = 0;
  let cpu0: Promise<CpuSnapshot> | undefined;
  const started = performance.now();
  const onAssigned = (): void => {
    if (first === 0) {
      first = performance.now();
      cpu0 = cpuSnapshot(redis);
    }
  };
  const ingest = await startIngest({ topics, redis, producer, coOccurrenceWindow: CO_WINDOW, flushRows: FLUSH_ROWS, onAssigned });
  await until(() => ingest.applied() >= EVENTS, 600_000, 5);
  const flushStart = performance.now();
  await ingest.pipeline.flush(); // durable and committed: the end of "into both stores"
  const end = performance.now();
  const cpuUsPerEvent = cpuPerEvent(await (cpu0 as Promise<CpuSnapshot>), await cpuSnapshot(redis), EVENTS);
  finalFlushMs.push(Math.round(end - flushStart));
  if (CO_WINDOW === undefined || CO_WINDOW === 0) {
    const t0 = performance.now();
    const today = utcDateOf(Date.now());
    const report = await rebuildCoOccurrence({ reader: new OfflineReader({ root: ingest.root }), redis, range: { fromDate: today, toDate: today }, keyPrefix: ingest.prefix });
    rebuilds.push({ ms: Math.round(performance.now() - t0), ...report });
  }
  await ingest.close();
  return { eventsPerSec: (EVENTS * 1000) / (end - first), steadyMs: end - first, wallMs: end - started, cpuUsPerEvent };
}

const finalFlushMs: number[] = [];
const rebuilds: { ms: number; interactions: number; items: number; pairs: number }[] = [];

const cpu = (rates: Rate[]): string => rates.map((r) => `${r.cpuUsPerEvent.node}/${r.cpuUsPerEvent.redis}/${r.cpuUsPerEvent.broker ?? '-'}`).join(' ');
const bareRates: Rate[] = [];
const parseRates: Rate[] = [];
const fullRates: Rate[] = [];
for (let round = 0; round < ROUNDS; round += 1) {
  bareRates.push(await bare(round));
  parseRates.push(await bare(round, true));
  fullRates.push(await full());
  console.error(
    `round ${round}: bare ${Math.round(bareRates[round].eventsPerSec)}/s, parse-only ${Math.round(parseRates[round].eventsPerSec)}/s, ingest ${Math.round(fullRates[round].eventsPerSec)}/s, load ${os.loadavg()[0].toFixed(2)}`,
    `CPU µs/event node/redis/broker: bare ${cpu([bareRates[round]])}, parse-only ${cpu([parseRates[round]])}, ingest ${cpu([fullRates[round]])}`,
  );
}
const median = (rates: Rate[]): number => {
  const s = rates.map((r) => r.eventsPerSec).sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ratio = median(fullRates) / median(bareRates);
const medianOf = (xs: number[]): number => {
  const v = [...xs].sort((a, b) => a - b);
  return v.length % 2 === 1 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
};
const cpuMedian = (rates: Rate[]): { node: number; total: number } => ({
  node: medianOf(rates.map((r) => r.cpuUsPerEvent.node)),
  total: medianOf(rates.map((r) => r.cpuUsPerEvent.node + r.cpuUsPerEvent.redis + (r.cpuUsPerEvent.broker ?? 0))),
});
// Load-robust ceilings from CPU per event: a consumer's single main thread caps it at 1e6/node
// events/s, and node + Redis + broker together share the box's 2 cores (2e6/total).
const [bareCpu, fullCpu] = [cpuMedian(bareRates), cpuMedian(fullRates)];
const ceilings = {
  bareMainThreadEventsPerSec: Math.round(1e6 / bareCpu.node),
  ingestMainThreadEventsPerSec: Math.round(1e6 / fullCpu.node),
  ingestTwoCoresEventsPerSec: Math.round((os.cpus().length * 1e6) / fullCpu.total),
  ratioOfCeilings: Number((Math.min(1e6 / fullCpu.node, (os.cpus().length * 1e6) / fullCpu.total) / (1e6 / bareCpu.node)).toFixed(3)),
};
const parseRatio = median(fullRates) / median(parseRates);
printTable(`ingest throughput, ${EVENTS} events, ${PARTITIONS} partitions, online co-occurrence window ${CO_WINDOW ?? 'default (0)'}, ${ROUNDS} rounds (median)`, ['consumer', 'events/s', 'per round', 'CPU µs/event node/redis/broker'], [
  ['bare (count only)', Math.round(median(bareRates)), bareRates.map((r) => Math.round(r.eventsPerSec)).join(' '), cpu(bareRates)],
  ['parse-only (decode + validate)', Math.round(median(parseRates)), parseRates.map((r) => Math.round(r.eventsPerSec)).join(' '), cpu(parseRates)],
  ['ingest (both stores, committed)', Math.round(median(fullRates)), fullRates.map((r) => Math.round(r.eventsPerSec)).join(' '), cpu(fullRates)],
  ['ratio to bare (target >= 0.8)', Number(ratio.toFixed(3)), '', ''],
  ['ratio to parse-only', Number(parseRatio.toFixed(3)), '', ''],
  ['CPU ceiling: bare main thread, events/s', ceilings.bareMainThreadEventsPerSec, '', `1e6 / ${bareCpu.node} µs`],
  ['CPU ceiling: ingest, events/s', Math.min(ceilings.ingestMainThreadEventsPerSec, ceilings.ingestTwoCoresEventsPerSec), '', `min(main thread 1e6 / ${fullCpu.node} µs, ${os.cpus().length} cores / ${fullCpu.total.toFixed(2)} µs)`],
  ['ratio of the CPU ceilings', ceilings.ratioOfCeilings, '', 'what the ratio tends to on an otherwise idle box'],
  ['final flush (in ingest time), ms', finalFlushMs.join(' '), '', ''],
  ['co-occurrence rebuild, ms', rebuilds.length === 0 ? '-' : rebuilds.map((r) => r.ms).join(' '), '', ''],
]);
const file = writeResult(values.out, env, {
  coOccurrenceWindow: CO_WINDOW ?? 'default (0: periodic rebuild job)',
  events: EVENTS,
  partitions: PARTITIONS,
  partitionsConsumedConcurrently: PARTITIONS_CONSUMED_CONCURRENTLY,
  maxBytesPerPartition: MAX_BYTES_PER_PARTITION ?? 'default (1 MiB)',
  produced: { eventsPerSec: Math.round(produced.ratePerSec) },
  bare: { medianEventsPerSec: Math.round(median(bareRates)), rounds: bareRates },
  parseOnly: { medianEventsPerSec: Math.round(median(parseRates)), rounds: parseRates },
  ingest: { medianEventsPerSec: Math.round(median(fullRates)), rounds: fullRates },
  ratio: Number(ratio.toFixed(3)),
  ratioToParseOnly: Number(parseRatio.toFixed(3)),
  cpuCeilings: ceilings,
  finalFlushMs,
  flushRows: FLUSH_ROWS ?? 'default',
  coOccurrenceRebuilds: rebuilds,
  target: 0.8,
});
console.log(`wrote ${file}`);
await admin.deleteTopics([topics.interactions, topics.userProfiles, topics.itemProfiles, topics.deadLetter]);
await Promise.all([admin.close(), producer.close()]);
await redis.quit();
