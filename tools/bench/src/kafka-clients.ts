// The Kafka client comparison (issue 18): for each client library behind @metarec/streaming, runs
// the ingest throughput bench (bare consumer, parse-only, full ingest) and the ingest latency bench
// in child processes with KAFKA_CLIENT set, in one run, alternating nothing else, and writes
// results/kafka-clients.json with each client's figures and their ratios to kafkajs's.
// Usage: npx tsx --conditions=@metarec/source tools/bench/src/kafka-clients.ts [--clients kafkajs,platformatic,confluent]
//          [--events 100000] [--rounds 2] [--rate 5000] [--seconds 20]
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { KAFKA_CLIENT_KINDS, parseKafkaClientKind, type KafkaClientKind } from '@metarec/streaming';

import { benchEnvironment, printTable, RESULTS_DIR, writeResult } from './bench-report.js';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: KAFKA_CLIENT_KINDS.join(',') },
    events: { type: 'string', default: '100000' },
    rounds: { type: 'string', default: '2' },
    rate: { type: 'string', default: '5000' },
    seconds: { type: 'string', default: '20' },
    out: { type: 'string', default: 'kafka-clients' },
  },
});
const clients = values.clients.split(',').map((kind) => parseKafkaClientKind(kind.trim()));
const SRC = path.dirname(fileURLToPath(import.meta.url));
const env = benchEnvironment();

interface Throughput {
  readonly bare: { readonly medianEventsPerSec: number };
  readonly parseOnly: { readonly medianEventsPerSec: number };
  readonly ingest: { readonly medianEventsPerSec: number };
  readonly ratio: number;
}
interface Latency {
  readonly achievedRatePerSec: number;
  readonly sent: number;
  readonly applied: number;
  readonly latencyMs: Readonly<Record<string, number>>;
}
type Outcome<T> = { readonly ok: true; readonly result: T } | { readonly ok: false; readonly error: string };

/** Runs one bench script with KAFKA_CLIENT=kind; resolves with its results JSON or the failure's last lines. */
function runBench<T>(script: string, kind: KafkaClientKind, args: readonly string[]): Promise<Outcome<T>> {
  const out = `${values.out}-${kind}-${script}`;
  const child = spawn(process.execPath, ['--conditions=@metarec/source', '--import', 'tsx', path.join(SRC, `${script}.ts`), ...args, '--out', out], {
    env: { ...process.env, KAFKA_CLIENT: kind },
    stdio: ['ignore', 'inherit', 'pipe'],
  });
  const stderr: string[] = [];
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr.push(chunk);
    process.stderr.write(chunk);
  });
  return new Promise((resolve) => {
    child.once('exit', (code) => {
      if (code !== 0) {
        resolve({ ok: false, error: `exit ${code}: ${stderr.join('').trim().split('\n').slice(-3).join(' | ')}` });
        return;
      }
      const file = JSON.parse(readFileSync(path.join(RESULTS_DIR, `${out}.json`), 'utf8')) as { results: T };
      resolve({ ok: true, result: file.results });
    });
  });
}

const NOT_RUN = { ok: false, error: 'not run' } as const;
const runs: Record<string, { throughput: Outcome<Throughput>; latency: Outcome<Latency> }> = {};
for (const kind of clients) {
  console.error(`== ${kind}: ingest throughput`);
  const throughput = await runBench<Throughput>('ingest-throughput', kind, ['--events', values.events, '--rounds', values.rounds]);
  console.error(`== ${kind}: ingest latency`);
  const latency = await runBench<Latency>('ingest-latency', kind, ['--rate', values.rate, '--seconds', values.seconds]);
  runs[kind] = { throughput, latency };
}

const base = runs['kafkajs'];
const ratioTo = (value: number | undefined, reference: number | undefined): number | null =>
  value === undefined || reference === undefined || reference === 0 ? null : Number((value / reference).toFixed(3));
const summary = Object.fromEntries(
  clients.map((kind) => {
    const { throughput, latency } = runs[kind] ?? { throughput: NOT_RUN, latency: NOT_RUN };
    const t = throughput.ok ? throughput.result : undefined;
    const l = latency.ok ? latency.result : undefined;
    const bt = base?.throughput.ok ? base.throughput.result : undefined;
    const bl = base?.latency.ok ? base.latency.result : undefined;
    return [
      kind,
      {
        bareEventsPerSec: t?.bare.medianEventsPerSec ?? null,
        ingestEventsPerSec: t?.ingest.medianEventsPerSec ?? null,
        ingestToBare: t?.ratio ?? null,
        latencyP50Ms: l?.latencyMs['p50'] ?? null,
        latencyP99Ms: l?.latencyMs['p99'] ?? null,
        latencyAchievedRatePerSec: l?.achievedRatePerSec ?? null,
        vsKafkajs: {
          bareEventsPerSec: ratioTo(t?.bare.medianEventsPerSec, bt?.bare.medianEventsPerSec),
          ingestEventsPerSec: ratioTo(t?.ingest.medianEventsPerSec, bt?.ingest.medianEventsPerSec),
          latencyP50: ratioTo(l?.latencyMs['p50'], bl?.latencyMs['p50']),
          latencyP99: ratioTo(l?.latencyMs['p99'], bl?.latencyMs['p99']),
        },
        errors: [throughput, latency].flatMap((outcome) => (outcome.ok ? [] : [outcome.error])),
      },
    ];
  }),
);
const show = (value: number | null): string | number => value ?? 'failed';
printTable(
  `Kafka clients: ingest throughput (${values.events} events, ${values.rounds} rounds, median) and latency (${values.rate}/s for ${values.seconds} s)`,
  ['client', 'bare events/s', 'ingest events/s', 'ingest/bare', 'p50 ms', 'p99 ms', 'ingest vs kafkajs', 'p99 vs kafkajs'],
  clients.map((kind) => {
    const s = summary[kind];
    if (s === undefined) {
      return [kind, 'not run', '', '', '', '', '', ''];
    }
    return [kind, show(s.bareEventsPerSec), show(s.ingestEventsPerSec), show(s.ingestToBare), show(s.latencyP50Ms), show(s.latencyP99Ms), show(s.vsKafkajs.ingestEventsPerSec), show(s.vsKafkajs.latencyP99)];
  }),
);
const file = writeResult(values.out, env, {
  clients,
  settings: { events: Number(values.events), rounds: Number(values.rounds), latencyRatePerSec: Number(values.rate), latencySeconds: Number(values.seconds) },
  summary,
  details: `results/${values.out}-<client>-ingest-{throughput,latency}.json`,
});
console.log(`wrote ${file}`);
