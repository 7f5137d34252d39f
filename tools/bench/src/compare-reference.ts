// Runs the PyTorch reference (shared/reference/melu_ref.py --bench) and our meta-step and
// adapt-score benchmarks one after the other on this machine, and writes the ratios.
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
tsx('meta-step.ts', '--steps', opts.steps, '--cpu-steps', opts.cpuSteps, '--out', 'compare-meta-step');
tsx('adapt-score.ts', '--out', 'compare-adapt-score');

const read = <T>(name: string): T => (JSON.parse(readFileSync(path.join(RESULTS_DIR, `${name}.json`), 'utf8')) as { results: T }).results;
const ours = read<{ modes: Array<{ backend: string; tasks: string; algorithm: string } & Stats> }>('compare-meta-step');
const serving = read<{ latency: Stats }>('compare-adapt-score');
const t = torch.results[`threads_${opts.threads}`];
const mode = (algorithm: string, tasks: 'stacked' | 'loop'): Stats => {
  const m = ours.modes.find((x) => x.backend === 'wasm' && x.algorithm === algorithm && x.tasks === tasks);
  if (m === undefined) {
    throw new Error(`meta-step.json has no wasm ${tasks} ${algorithm} result`);
  }
  return m;
};
const ratio = (a: number, b: number): number => Math.round((a / b) * 100) / 100;
const rows = [
  { what: 'meta-step 2nd order, stacked vs batched (ms, p50)', ours: mode('maml', 'stacked').p50_ms, torch: t.meta_step_second_order_batched.p50_ms },
  { what: 'meta-step 1st order, stacked vs batched (ms, p50)', ours: mode('fomaml', 'stacked').p50_ms, torch: t.meta_step_first_order_batched.p50_ms },
  { what: 'meta-step 2nd order, task by task (ms, p50)', ours: mode('maml', 'loop').p50_ms, torch: t.meta_step_second_order_loop.p50_ms },
  { what: 'meta-step 1st order, task by task (ms, p50)', ours: mode('fomaml', 'loop').p50_ms, torch: t.meta_step_first_order_loop.p50_ms },
  { what: 'adapt 5 + score 1,000 (ms, p50)', ours: serving.latency.p50_ms, torch: t.adapt5_score1000.p50_ms },
  { what: 'adapt 5 + score 1,000 (ms, p99)', ours: serving.latency.p99_ms ?? Number.NaN, torch: t.adapt5_score1000.p99_ms ?? Number.NaN },
].map((r) => ({ ...r, ratio: ratio(r.ours, r.torch) }));
printTable(
  `tfjs wasm vs PyTorch ${String(torch['torch'])} CPU, ${opts.threads} thread(s), same machine, one run (wall time)`,
  ['figure', 'tfjs wasm', 'torch', 'tfjs / torch'],
  rows.map((r) => [r.what, r.ours, r.torch, r.ratio]),
);
console.log(`\nwrote ${writeResult('compare-reference', env, { torchThreads: Number(opts.threads), torch: torch.results, rows })}`);
