import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where every script writes `<name>.json`. */
export const RESULTS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'results');

/** Machine and load context stored with every result (timings on a busy 2-core box are noisy). */
export interface BenchEnvironment {
  readonly date: string;
  readonly node: string;
  readonly cpu: string;
  readonly cpuCount: number;
  /** `os.loadavg()` (1, 5, 15 min) when the run started. */
  readonly loadavgStart: readonly number[];
  readonly commit: string;
}

function commit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch (error) {
    return `unknown (${(error as Error).message.split('\n')[0]})`;
  }
}

/** Captures the environment; call at the start of a run. */
export function benchEnvironment(): BenchEnvironment {
  return {
    date: new Date().toISOString(),
    node: process.version,
    cpu: os.cpus()[0]?.model ?? os.arch(),
    cpuCount: os.cpus().length,
    loadavgStart: os.loadavg().map((v) => Math.round(v * 100) / 100),
    commit: commit(),
  };
}

/** Writes `results/<name>.json` with the environment, the end-of-run load average and `results`. */
export function writeResult(name: string, env: BenchEnvironment, results: unknown, outDir = RESULTS_DIR): string {
  mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, `${name}.json`);
  const loadavgEnd = os.loadavg().map((v) => Math.round(v * 100) / 100);
  writeFileSync(file, JSON.stringify({ bench: name, environment: { ...env, loadavgEnd }, results }, null, 2) + '\n');
  return file;
}

/** Prints rows as an aligned text table. */
export function printTable(title: string, header: readonly string[], rows: ReadonlyArray<readonly (string | number)[]>): void {
  const fmt = (c: string | number): string => (typeof c !== 'number' ? c : Number.isInteger(c) ? String(c) : c.toFixed(Math.abs(c) >= 100 ? 0 : 2));
  const cells = [header, ...rows.map((r) => r.map(fmt))];
  const widths = header.map((_, k) => Math.max(...cells.map((r) => String(r[k]).length)));
  console.log(`\n${title}`);
  cells.forEach((r, i) => {
    console.log(r.map((c, k) => String(c).padEnd(widths[k])).join('  '));
    if (i === 0) {
      console.log(widths.map((w) => '-'.repeat(w)).join('  '));
    }
  });
}

/** A stderr logger for selectBackend. */
export const stderrLogger = {
  info: (message: string): void => {
    console.error(message);
  },
  warn: (message: string): void => {
    console.error(`WARN ${message}`);
  },
};
