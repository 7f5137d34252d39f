// Event → online-store latency at a steady rate: metarec-loadgen (a separate process) sends
// events stamped with their send time; the pipeline (in this process, wired as apps/ingest)
// records Redis-acknowledged time minus the event's timestamp for every event.
// Usage: npx tsx --conditions=@metarec/source tools/bench/src/ingest-latency.ts [--rate 10000] [--seconds 30] [--warmup-seconds 5]
//          [--co-window 5] [--flush-rows 50000] [--flush-age-ms 5000] [--out name]
import { spawn } from 'node:child_process';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import type { Interaction } from '@metarec/schemas';
import { Redis } from 'ioredis';

import { benchEnvironment, printTable, writeResult } from './bench-report.js';
import { benchKafka, benchTopics, BROKERS, percentiles, REDIS_URL, startIngest } from './ingest-bench-setup.js';

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '10000' },
    seconds: { type: 'string', default: '30' },
    'warmup-seconds': { type: 'string', default: '5' },
    partitions: { type: 'string', default: '6' },
    'co-window': { type: 'string' },
    'flush-rows': { type: 'string' },
    'flush-age-ms': { type: 'string' },
    out: { type: 'string', default: 'ingest-latency' },
  },
});
const CO_WINDOW = values['co-window'] === undefined ? undefined : Number(values['co-window']);
const RATE = Number(values.rate);
const SECONDS = Number(values.seconds);
const WARMUP_MS = Number(values['warmup-seconds']) * 1000;
const env = benchEnvironment();
const kafka = await benchKafka();
const admin = await kafka.createTopicAdmin();
const producer = await kafka.createProducer();
const redis = new Redis(REDIS_URL);
const topics = await benchTopics(admin, 'latency', Number(values.partitions));

const latencies = new Float64Array(RATE * SECONDS * 2);
/** Worst latency per second of send time, to tell steady queueing from periodic stalls. */
const worstPerSecond = new Map<number, number>();
let n = 0;
let startedMs = 0;
let appliedTotal = 0;
const ingest = await startIngest({
  topics,
  redis,
  producer,
  coOccurrenceWindow: CO_WINDOW,
  flushRows: values['flush-rows'] === undefined ? undefined : Number(values['flush-rows']),
  flushAgeMs: values['flush-age-ms'] === undefined ? undefined : Number(values['flush-age-ms']),
  onApplied: (batches, ackMs) => {
    for (const batch of batches) {
      for (const { record } of batch.entries) {
        appliedTotal += 1;
        const sentMs = (record as Interaction).timestamp_ms;
        if (startedMs > 0 && sentMs >= startedMs + WARMUP_MS && n < latencies.length) {
          latencies[n] = ackMs - sentMs;
          n += 1;
          const second = Math.floor((sentMs - startedMs) / 1000);
          worstPerSecond.set(second, Math.max(worstPerSecond.get(second) ?? 0, ackMs - sentMs));
        }
      }
    }
  },
});

const loadgenMain = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'loadgen', 'src', 'main.ts');
startedMs = Date.now();
const child = spawn(
  process.execPath,
  ['--conditions=@metarec/source', '--import', 'tsx', loadgenMain, '--brokers', BROKERS.join(','), '--topic-interactions', topics.interactions,
    '--topic-user-profiles', topics.userProfiles, '--topic-item-profiles', topics.itemProfiles, '--no-create-topics', '--no-profiles',
    '--count', String(RATE * SECONDS), '--rate', String(RATE), '--time', 'now'],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
let loadgenOut = '';
child.stdout.setEncoding('utf8');
child.stdout.on('data', (chunk: string) => {
  loadgenOut += chunk;
});
const exitCode = await new Promise<number | null>((resolve) => child.once('exit', resolve));
if (exitCode !== 0) {
  throw new Error(`loadgen exited with ${exitCode}`);
}
const loadgen = JSON.parse(loadgenOut.trim().split('\n').pop() ?? '{}') as { sent: number; ratePerSec: number; elapsedMs: number };
const drainDeadline = Date.now() + 60_000;
while (appliedTotal < loadgen.sent && Date.now() < drainDeadline) {
  await new Promise((resolve) => setTimeout(resolve, 50));
}
await ingest.close();

const sample = latencies.subarray(0, n);
const stats = percentiles(sample, [50, 90, 99, 99.9]);
const maxMs = sample.reduce((a, b) => Math.max(a, b), 0);
printTable(`event → online-store latency at ${RATE}/s for ${SECONDS} s (first ${WARMUP_MS / 1000} s dropped), ms`, ['events', 'achieved rate', 'p50', 'p90', 'p99', 'p99.9', 'max'], [
  [n, loadgen.ratePerSec, stats['p50'], stats['p90'], stats['p99'], stats['p99.9'], Math.round(maxMs)],
]);
const file = writeResult(values.out, env, {
  coOccurrenceWindow: CO_WINDOW ?? 'default (0: periodic rebuild job)',
  flushRows: values['flush-rows'] ?? 'default (50000)',
  flushAgeMs: values['flush-age-ms'] ?? 'default (5000)',
  targetRatePerSec: RATE,
  achievedRatePerSec: loadgen.ratePerSec,
  seconds: SECONDS,
  warmupSeconds: WARMUP_MS / 1000,
  sent: loadgen.sent,
  applied: appliedTotal,
  measured: n,
  latencyMs: { ...stats, max: Math.round(maxMs) },
  worstMsPerSecondOfSendTime: [...worstPerSecond.entries()].sort((a, b) => a[0] - b[0]).map(([, ms]) => Math.round(ms)),
  targetP99Ms: 1000,
  note: 'latency = Redis acknowledgement of the online write minus the event timestamp set by loadgen when building the send batch (one send per 50 ms)',
  loadavgEnd: os.loadavg(),
});
console.log(`wrote ${file}`);
await admin.deleteTopics([topics.interactions, topics.userProfiles, topics.itemProfiles, topics.deadLetter]);
await Promise.all([admin.close(), producer.close()]);
await redis.quit();
