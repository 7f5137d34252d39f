// Per-event cost of the ingest decode steps on synthetic interaction payloads (CPU only, no I/O):
// UTF-8 check + decode, JSON.parse, schema validation, the canonical JSON ingest stores (JSON.stringify of the
// validated record), and the whole decodeRecord (the wire contract's decoder ingest runs). What decodeRecord
// costs beyond those steps is mostly its duplicate-key scan (issue 17: a payload with a key twice is refused).
// Usage: npx tsx --conditions=@metarec/source tools/bench/src/ingest-decode-micro.ts [--events 100000]
import { isUtf8 } from 'node:buffer';
import os from 'node:os';
import { parseArgs } from 'node:util';

import type { IngestMessage } from '@metarec/feature-store';
import { EventSource } from '@metarec/loadgen';
import { decodeRecord, InteractionSchema, validateRecord } from '@metarec/schemas';

import { benchEnvironment, printTable, writeResult } from './bench-report.js';

const { values } = parseArgs({ options: { events: { type: 'string', default: '100000' }, out: { type: 'string', default: 'ingest-decode-micro' } } });
const EVENTS = Number(values.events);
const env = benchEnvironment();
const source = new EventSource({ synthetic: { users: 5_000, items: 2_000 } });
const messages: IngestMessage[] = source.next(EVENTS).map((m, i) => ({
  topic: 't',
  partition: 0,
  offset: BigInt(i),
  key: m.key,
  value: Buffer.from(m.value ?? ''),
  headers: { ...m.headers },
  timestampMs: Date.now(),
}));
const utf8 = new TextDecoder('utf-8', { fatal: true });
const nowMs = Date.now();
function time(label: string, fn: (m: IngestMessage) => unknown): [string, number, number] {
  for (let r = 0; r < 2; r += 1) {
    for (let i = 0; i < Math.min(20_000, messages.length); i += 1) {
      fn(messages[i]);
    }
  }
  const t0 = performance.now();
  for (const m of messages) {
    fn(m);
  }
  const ms = performance.now() - t0;
  return [label, Number(((ms * 1000) / EVENTS).toFixed(2)), Math.round((EVENTS * 1000) / ms)];
}
const texts = messages.map((m) => utf8.decode(m.value as Uint8Array));
let k = 0;
const parsed = texts.map((t) => JSON.parse(t) as unknown);
const validated = parsed.map((value) => {
  const result = validateRecord(InteractionSchema, value, { nowMs });
  if (!result.ok) {
    throw new Error(`the synthetic payload is invalid: ${JSON.stringify(result)}`);
  }
  return result.record;
});
const steps = [
  time('TextDecoder(fatal).decode', (m) => utf8.decode(m.value as Uint8Array)),
  time('isUtf8 + toString', (m) => (isUtf8(m.value as Buffer) ? (m.value as Buffer).toString('utf8') : '')),
  time('JSON.parse', () => JSON.parse(texts[k++ % texts.length])),
  time('validateRecord (schemas)', () => validateRecord(InteractionSchema, parsed[k++ % parsed.length], { nowMs })),
  time('canonical JSON (JSON.stringify of the record)', () => JSON.stringify(validated[k++ % validated.length])),
];
const whole = time('decodeRecord (all)', (m) => decodeRecord(InteractionSchema, m, { maxMessageBytes: 1 << 20, nowMs }));
const [, decodeUs] = steps[0];
const partsUs = decodeUs + steps.slice(2).reduce((sum, [, us]) => sum + us, 0);
const rest: [string, number, number] = ['decodeRecord minus decode, parse, validate, stringify (the duplicate-key scan and checks)', Number((whole[1] - partsUs).toFixed(2)), 0];
const rows = [...steps, whole, rest];
printTable(`ingest decode, ${EVENTS} interaction payloads, load ${os.loadavg()[0].toFixed(2)}`, ['step', 'us/event', 'events/s (0: derived)'], rows);
console.log(`wrote ${writeResult(values.out, env, { events: EVENTS, steps: rows.map(([step, us, rate]) => ({ step, usPerEvent: us, eventsPerSec: rate })) })}`);
