// Summarises a V8 .cpuprofile (from ingest-profile.ts run with --cpu-prof) into the ingest's
// stages: self time of every sampled function attributed by its source file, in ms and in µs per
// event, plus the heaviest functions. The idle share is what the event loop waited (I/O).
// Usage: npx tsx tools/bench/src/ingest-profile-summary.ts <file.cpuprofile> [--events 200000] [--top 25]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}
interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

const { values, positionals } = parseArgs({ allowPositionals: true, options: { events: { type: 'string', default: '200000' }, top: { type: 'string', default: '25' } } });
const EVENTS = Number(values.events);

/** Stage of a sampled frame, by the file it belongs to (first match wins). */
const STAGES: readonly [stage: string, test: (url: string, fn: string) => boolean][] = [
  ['(idle)', (_u, fn) => fn === '(idle)'],
  ['(garbage collector)', (_u, fn) => fn === '(garbage collector)'],
  ['(program: native, unattributed)', (_u, fn) => fn === '(program)'],
  ['kafkajs (fetch decode, protocol)', (u) => u.includes('/kafkajs/')],
  ['ioredis + redis-parser', (u) => u.includes('/ioredis/') || u.includes('redis-parser') || u.includes('/denque/')],
  ['apache-arrow', (u) => u.includes('/apache-arrow/')],
  ['schemas (validate, Arrow build)', (u) => u.includes('/libs/schemas/')],
  ['feature-store: decode', (u) => u.includes('message-decoder')],
  ['feature-store: online', (u) => u.includes('/online/') || u.includes('online-write-queue')],
  ['feature-store: offline', (u) => u.includes('/offline/')],
  ['feature-store: pipeline', (u) => u.includes('/libs/feature-store/')],
  ['streaming (message mapping)', (u) => u.includes('/libs/streaming/')],
  ['tools (bench, loadgen)', (u) => u.includes('/tools/')],
  ['node internals', (u) => u.startsWith('node:') || u === ''],
  ['other', () => true],
];

const profile = JSON.parse(readFileSync(positionals[0], 'utf8')) as CpuProfile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parentOf = new Map<number, number>();
profile.nodes.forEach((n) => n.children?.forEach((child) => parentOf.set(child, n.id)));
/** Frames under `node:inspector` are the profiler's own work (Profiler.stop building the profile), not ingest's. */
function underInspector(id: number): boolean {
  for (let cur: number | undefined = id; cur !== undefined; cur = parentOf.get(cur)) {
    if ((byId.get(cur) as ProfileNode).callFrame.url === 'node:inspector') {
      return true;
    }
  }
  return false;
}
const selfUs = new Map<number, number>();
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));

const stages = new Map<string, number>();
const functions = new Map<string, number>();
for (const [id, us] of selfUs) {
  const { functionName, url, lineNumber } = (byId.get(id) as ProfileNode).callFrame;
  const stage = underInspector(id) ? '(profiler)' : (STAGES.find(([, test]) => test(url, functionName)) as (typeof STAGES)[number])[0];
  stages.set(stage, (stages.get(stage) ?? 0) + us);
  const name = `${functionName || '(anonymous)'} ${url.replace(/^.*\/(node_modules|libs|tools)\//, '$1/')}:${lineNumber + 1}`;
  functions.set(name, (functions.get(name) ?? 0) + us);
}
const total = [...stages.values()].reduce((a, b) => a + b, 0);
const busy = total - (stages.get('(idle)') ?? 0) - (stages.get('(profiler)') ?? 0);
const row = (label: string, us: number): string =>
  `${label.padEnd(70)} ${(us / 1000).toFixed(0).padStart(7)} ms ${((us / EVENTS) * 1).toFixed(2).padStart(7)} µs/ev ${((100 * us) / busy).toFixed(1).padStart(5)} %busy`;
console.log(`profile ${(total / 1e6).toFixed(2)} s, busy ${(busy / 1e6).toFixed(2)} s (idle and profiler excluded), ${EVENTS} events → ${(busy / EVENTS).toFixed(2)} µs/event on the main thread`);
for (const [stage, us] of [...stages].sort((a, b) => b[1] - a[1])) {
  console.log(row(stage, us));
}
console.log(`\ntop ${values.top} functions (self time)`);
for (const [name, us] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top))) {
  console.log(row(name.slice(0, 70), us));
}
