// Offline read: one day of interactions (1M rows, written by the offline writer in files of
// --rows-per-file) scanned into one Arrow table; also a column pass over it.
// Usage: npx tsx --conditions=@metarec/source tools/bench/src/ingest-offline-scan.ts [--rows 1000000] [--rows-per-file 100000] [--repeats 5]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { compactOfflineStore, OfflineReader, OfflineWriter, type OffsetRecord } from '@metarec/feature-store';
import type { Interaction } from '@metarec/schemas';

import { benchEnvironment, printTable, writeResult } from './bench-report.js';

const { values } = parseArgs({
  options: { rows: { type: 'string', default: '1000000' }, 'rows-per-file': { type: 'string', default: '100000' }, repeats: { type: 'string', default: '5' } },
});
const ROWS = Number(values.rows);
const PER_FILE = Number(values['rows-per-file']);
const REPEATS = Number(values.repeats);
const DAY = '2026-11-25';
const DAY_START = Date.parse(`${DAY}T00:00:00Z`);
const env = benchEnvironment();
const root = await mkdtemp(join(tmpdir(), 'bench-offline-scan-'));

const TYPES = ['view', 'click', 'rating', 'purchase'] as const;
function interaction(i: number): Interaction {
  const type = TYPES[i % 4];
  return {
    user_id: `u${(i * 7919) % 50_000}`,
    item_id: `i${(i * 104_729) % 20_000}`,
    event_type: type,
    value: type === 'rating' ? 1 + (i % 5) : null,
    timestamp_ms: DAY_START + Math.floor((i / ROWS) * 86_399_000),
    session_id: null,
    device: i % 3 === 0 ? 'mobile' : 'web',
  };
}

const writer = new OfflineWriter({ root });
const writeStart = performance.now();
let files = 0;
for (let start = 0; start < ROWS; start += PER_FILE) {
  const entries: OffsetRecord[] = [];
  for (let i = start; i < Math.min(ROWS, start + PER_FILE); i += 1) {
    entries.push({ offset: BigInt(i), record: interaction(i) });
  }
  const result = await writer.write('interactions', 'bench.interactions', 0, entries);
  files += result.written.length;
}
const writeMs = performance.now() - writeStart;

const reader = new OfflineReader({ root });
async function scan(): Promise<{ scanMs: number; passMs: number; rows: number; ratingSum: number }> {
  const t0 = performance.now();
  const table = await reader.readRange('interactions', { fromDate: DAY, toDate: DAY });
  const scanMs = performance.now() - t0;
  const t1 = performance.now();
  let ratingSum = 0;
  for (const batch of table.batches) {
    const values = batch.getChild('value');
    const data = values?.data[0];
    const floats = data?.values as Float64Array | undefined;
    if (data === undefined || floats === undefined) {
      continue;
    }
    for (let i = 0; i < batch.numRows; i += 1) {
      if (data.getValid(i)) {
        ratingSum += floats[i];
      }
    }
  }
  return { scanMs, passMs: performance.now() - t1, rows: table.numRows, ratingSum };
}

const runs: Awaited<ReturnType<typeof scan>>[] = [];
for (let r = 0; r < REPEATS; r += 1) {
  runs.push(await scan());
}
const compactStart = performance.now();
await compactOfflineStore({ root, kind: 'interactions' });
const compactMs = performance.now() - compactStart;
const compacted: Awaited<ReturnType<typeof scan>>[] = [];
for (let r = 0; r < REPEATS; r += 1) {
  compacted.push(await scan());
}
const med = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
if (runs.some((r) => r.rows !== ROWS) || compacted.some((r) => r.rows !== ROWS || r.ratingSum !== runs[0].ratingSum)) {
  throw new Error('scan returned the wrong rows');
}
printTable(`offline scan of one day (${ROWS} rows), ms, median of ${REPEATS}`, ['layout', 'files', 'scan → Table', 'column pass (value)', 'write'], [
  [`${PER_FILE}-row files`, files, Math.round(med(runs.map((r) => r.scanMs))), Math.round(med(runs.map((r) => r.passMs))), Math.round(writeMs)],
  ['after compaction', 1, Math.round(med(compacted.map((r) => r.scanMs))), Math.round(med(compacted.map((r) => r.passMs))), Math.round(compactMs)],
]);
const file = writeResult('ingest-offline-scan', env, {
  rows: ROWS,
  rowsPerFile: PER_FILE,
  files,
  writeMs: Math.round(writeMs),
  scanMs: { median: Math.round(med(runs.map((r) => r.scanMs))), runs: runs.map((r) => Math.round(r.scanMs)) },
  columnPassMs: Math.round(med(runs.map((r) => r.passMs))),
  compactMs: Math.round(compactMs),
  compactedScanMs: { median: Math.round(med(compacted.map((r) => r.scanMs))), runs: compacted.map((r) => Math.round(r.scanMs)) },
  note: 'scan = list files, open, read bytes, decode IPC into one Table (columns are views over the file bytes); page cache warm',
});
console.log(`wrote ${file}`);
await rm(root, { recursive: true, force: true });
