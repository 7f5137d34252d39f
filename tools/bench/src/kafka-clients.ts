// The Kafka client comparison (issue 18): for each client library behind @metarec/streaming, runs
// the ingest throughput bench (bare consumer, parse-only, full ingest) and the ingest latency bench
// in child processes with KAFKA_CLIENT set (loadgen, the latency bench's producer, inherits it), in
// one run: `--repeat` passes over the clients in turn, so load drift on a shared box hits each alike;
// each figure is the median over the passes. Writes results/kafka-clients.json with each client's
// figures and their ratios to kafkajs's.
// Usage: npx tsx --conditions=@metarec/source tools/bench/src/kafka-clients.ts [--clients kafkajs,platformatic,confluent]
//          [--repeat 2] [--events 50000] [--rounds 1] [--rate 1000] [--seconds 20]
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
    repeat: { type: 'string', default: '2' },
    events: { type: 'string', default: '50000' },
    rounds: { type: 'string', default: '1' },
    rate: { type: 'string', default: '1000' },
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
function runBench<T>(script: string, kind: KafkaClientKind, pass: number, args: readonly string[]): Promise<Outcome<T>> {
  const out = `${values.out}-${kind}-${script}-${pass}`;
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

const passes: Record<string, { throughput: Outcome<Throughput>; latency: Outcome<Latency> }[]> = {};
for (let pass = 0; pass < Number(values.repeat); pass += 1) {
  for (const kind of clients) {
    console.error(`== pass ${pass}, ${kind}: ingest throughput`);
    const throughput = await runBench<Throughput>('ingest-throughput', kind, pass, ['--events', values.events, '--rounds', values.rounds]);
    console.error(`== pass ${pass}, ${kind}: ingest latency`);
    const latency = await runBench<Latency>('ingest-latency', kind, pass, ['--rate', values.rate, '--seconds', values.seconds]);
    (passes[kind] ??= []).push({ throughput, latency });
  }
}

const median = (xs: readonly number[]): number | undefined => {
  if (xs.length === 0) {
    return undefined;
  }
  const v = [...xs].sort((a, b) => a - b);
  return v.length % 2 === 1 ? v[(v.length - 1) / 2] : ((v[v.length / 2 - 1] ?? 0) + (v[v.length / 2] ?? 0)) / 2;
};
/** A client's figures: the median over its passes that succeeded. */
function figures(kind: string): { bare?: number; ingest?: number; ratio?: number; p50?: number; p99?: number; rate?: number; errors: string[] } {
  const ok = passes[kind] ?? [];
  const t = ok.flatMap((p) => (p.throughput.ok ? [p.throughput.result] : []));
  const l = ok.flatMap((p) => (p.latency.ok ? [p.latency.result] : []));
  return {
    bare: median(t.map((r) => r.bare.medianEventsPerSec)),
    ingest: median(t.map((r) => r.ingest.medianEventsPerSec)),
    ratio: median(t.map((r) => r.ratio)),
    p50: median(l.map((r) => r.latencyMs['p50'] ?? Number.NaN)),
    p99: median(l.map((r) => r.latencyMs['p99'] ?? Number.NaN)),
    rate: median(l.map((r) => r.achievedRatePerSec)),
    errors: ok.flatMap((p) => [p.throughput, p.latency].flatMap((outcome) => (outcome.ok ? [] : [outcome.error]))),
  };
}

const base = figures('kafkajs');
const ratioTo = (value: number | undefined, reference: number | undefined): number | null =>
  value === undefined || reference === undefined || reference === 0 ? null : Number((value / reference).toFixed(3));
const summary = Object.fromEntries(
  clients.map((kind) => {
    const f = figures(kind);
    return [
      kind,
      {
        bareEventsPerSec: f.bare ?? null,
        ingestEventsPerSec: f.ingest ?? null,
        ingestToBare: f.ratio ?? null,
        latencyP50Ms: f.p50 ?? null,
        latencyP99Ms: f.p99 ?? null,
        latencyAchievedRatePerSec: f.rate ?? null,
        vsKafkajs: {
          bareEventsPerSec: ratioTo(f.bare, base.bare),
          ingestEventsPerSec: ratioTo(f.ingest, base.ingest),
          latencyP50: ratioTo(f.p50, base.p50),
          latencyP99: ratioTo(f.p99, base.p99),
        },
        perPass: (passes[kind] ?? []).map((p) => ({
          ingestEventsPerSec: p.throughput.ok ? p.throughput.result.ingest.medianEventsPerSec : null,
          bareEventsPerSec: p.throughput.ok ? p.throughput.result.bare.medianEventsPerSec : null,
          latencyP50Ms: p.latency.ok ? (p.latency.result.latencyMs['p50'] ?? null) : null,
          latencyP99Ms: p.latency.ok ? (p.latency.result.latencyMs['p99'] ?? null) : null,
        })),
        errors: f.errors,
      },
    ];
  }),
);
const show = (value: number | null): string | number => value ?? 'failed';
printTable(
  `Kafka clients: ingest throughput (${values.events} events) and latency (${values.rate}/s for ${values.seconds} s), median of ${values.repeat} alternating passes`,
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
  settings: { repeat: Number(values.repeat), events: Number(values.events), rounds: Number(values.rounds), latencyRatePerSec: Number(values.rate), latencySeconds: Number(values.seconds) },
  summary,
  details: `results/${values.out}-<client>-ingest-{throughput,latency}-<pass>.json`,
});
console.log(`wrote ${file}`);
