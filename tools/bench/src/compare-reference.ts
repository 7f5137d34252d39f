// Runs the PyTorch reference (shared/reference/melu_ref.py --bench) and our meta-step and
// adapt-score benchmarks (tfjs on tensorflow and on wasm) one after the other on this machine, and writes the ratios.
// Needs a Python with numpy + torch OUTSIDE the repo (see shared/reference/README.md).
// Run: npx tsx --conditions=@metarec/source tools/bench/src/compare-reference.ts \
//        [--python ../.venv-ref/bin/python] [--reference ../shared/reference/melu_ref.py] [--threads 1]
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { Command } from 'commander';

import { benchEnvironment, printTable, RESULTS_DIR, writeResult } from './bench-report.js';

const REPO = path.resolve(RESULTS_DIR, '..', '..', '..');
const opts = new Command('compare-reference')
  .option('--python <path>', 'python with torch', path.resolve(REPO, '..', '.venv-ref', 'bin', 'python'))
  .option('--reference <path>', 'melu_ref.py', path.resolve(REPO, '..', 'shared', 'reference', 'melu_ref.py'))
  .option('--threads <n>', 'torch intra-op threads', '1')
  .option('--steps <n>', 'timed meta-steps, both sides (melu_ref.py needs >= 30)', '30')
  .option('--cpu-steps <n>', 'timed meta-steps on the cpu backend, for reference (0 = skip)', '2')
  .option('--skip-torch', 'reuse results/torch-reference.json')
  .parse()
  .opts<{ python: string; reference: string; threads: string; steps: string; cpuSteps: string; skipTorch?: boolean }>();

interface Stats {
  p50_ms: number;
  p90_ms?: number;
  p99_ms?: number;
}
type TorchRun = { results: Record<string, Record<string, Stats>> } & Record<string, unknown>;

const env = benchEnvironment();
const torchFile = path.join(RESULTS_DIR, 'torch-reference.json');
if (!opts.skipTorch) {
  console.error(`running ${opts.reference} --bench --threads ${opts.threads} --bench-steps ${opts.steps} (≈1-2 min)`);
  const out = execFileSync(opts.python, [opts.reference, '--bench', '--threads', opts.threads, '--bench-steps', opts.steps], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 24,
  });
  const line = out.trim().split('\n').at(-1) ?? '';
  writeFileSync(torchFile, JSON.stringify(JSON.parse(line), null, 2) + '\n');
}
const torch = JSON.parse(readFileSync(torchFile, 'utf8')) as TorchRun;
const tsx = (script: string, ...args: string[]): void => {
  console.error(`running ${script} ${args.join(' ')}`);
  execFileSync('npx', ['tsx', '--conditions=@metarec/source', path.join('tools', 'bench', 'src', script), ...args], { cwd: REPO, stdio: ['ignore', 'inherit', 'inherit'] });
};
const BACKENDS = ['tensorflow', 'wasm'] as const;
tsx('meta-step.ts', '--steps', opts.steps, '--cpu-steps', opts.cpuSteps, '--backends', BACKENDS.join(','), '--out', 'compare-meta-step');
for (const backend of BACKENDS) {
  tsx('adapt-score.ts', '--backend', backend, '--out', `compare-adapt-score-${backend}`);
}

const read = <T>(name: string): T => (JSON.parse(readFileSync(path.join(RESULTS_DIR, `${name}.json`), 'utf8')) as { results: T }).results;
const ours = read<{ modes: Array<{ backend: string; tasks: string; algorithm: string } & Stats> }>('compare-meta-step');
const serving = Object.fromEntries(BACKENDS.map((b) => [b, read<{ latency: Stats }>(`compare-adapt-score-${b}`)]));
const t = torch.results[`threads_${opts.threads}`];
const mode = (backend: string, algorithm: string, tasks: 'stacked' | 'loop'): number => {
  const m = ours.modes.find((x) => x.backend === backend && x.algorithm === algorithm && x.tasks === tasks);
  if (m === undefined) {
    throw new Error(`meta-step.json has no ${backend} ${tasks} ${algorithm} result`);
  }
  return m.p50_ms;
};
const ratio = (a: number, b: number): number => Math.round((a / b) * 100) / 100;
const rows = [
  { what: 'meta-step 2nd order, stacked vs batched (ms, p50)', ours: (b: string) => mode(b, 'maml', 'stacked'), torch: t.meta_step_second_order_batched.p50_ms },
  { what: 'meta-step 1st order, stacked vs batched (ms, p50)', ours: (b: string) => mode(b, 'fomaml', 'stacked'), torch: t.meta_step_first_order_batched.p50_ms },
  { what: 'meta-step 2nd order, task by task (ms, p50)', ours: (b: string) => mode(b, 'maml', 'loop'), torch: t.meta_step_second_order_loop.p50_ms },
  { what: 'meta-step 1st order, task by task (ms, p50)', ours: (b: string) => mode(b, 'fomaml', 'loop'), torch: t.meta_step_first_order_loop.p50_ms },
  { what: 'adapt 5 + score 1,000 (ms, p50)', ours: (b: string) => serving[b].latency.p50_ms, torch: t.adapt5_score1000.p50_ms },
  { what: 'adapt 5 + score 1,000 (ms, p99)', ours: (b: string) => serving[b].latency.p99_ms ?? Number.NaN, torch: t.adapt5_score1000.p99_ms ?? Number.NaN },
].map((r) => {
  const values: Record<string, number> = Object.fromEntries(BACKENDS.map((b) => [b, r.ours(b)]));
  return { what: r.what, torch: r.torch, values, ratios: Object.fromEntries(BACKENDS.map((b) => [b, ratio(values[b], r.torch)])) };
});
printTable(
  `tfjs (tensorflow, wasm) vs PyTorch ${String(torch['torch'])} CPU, ${opts.threads} thread(s), same machine, one run (wall time)`,
  ['figure', 'tensorflow', 'wasm', 'torch', 'tensorflow / torch', 'wasm / torch'],
  rows.map((r) => [r.what, r.values['tensorflow'], r.values['wasm'], r.torch, r.ratios['tensorflow'], r.ratios['wasm']]),
);
console.log(`\nwrote ${writeResult('compare-reference', env, { torchThreads: Number(opts.threads), torch: torch.results, rows })}`);
