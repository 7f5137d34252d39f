// Where one meta-step's time goes, by tfjs kernel (tf.profile), on the chosen backend.
// Run: npx tsx --conditions=@metarec/source tools/bench/src/profile-meta-step.ts [--algorithm maml] [--backend wasm]
import { Command } from 'commander';

import { type BackendName, type MetaAlgorithm, metaStep, profileKernels, selectBackend } from '@metarec/meta-learning';

import { benchEnvironment, printTable, stderrLogger, writeResult } from './bench-report.js';
import { MELU_BENCH, meluBenchModel, metaBatchPool } from './melu-bench-setup.js';

const opts = new Command('profile-meta-step')
  .option('--algorithm <name>', 'maml | fomaml', 'maml')
  .option('--backend <name>', 'wasm | cpu', 'wasm')
  .option('--top <n>', 'kernels to print', (v) => Number(v), 15)
  .parse()
  .opts<{ algorithm: MetaAlgorithm; backend: BackendName; top: number }>();

const env = benchEnvironment();
await selectBackend({ preferred: opts.backend, logger: stderrLogger });
const { model, params } = meluBenchModel(0);
const [batch] = metaBatchPool(model, 1);
const step = (): void => {
  metaStep(model, params, batch, { algorithm: opts.algorithm, innerSteps: MELU_BENCH.innerSteps, innerLr: MELU_BENCH.innerLr });
};
step(); // warm-up
const p = await profileKernels(step);
printTable(
  `${opts.algorithm} meta-step on ${opts.backend}: wall ${p.wallMs.toFixed(0)} ms, in kernels ${p.kernelMs.toFixed(0)} ms`,
  ['kernel', 'calls', 'ms', 'share'],
  p.kernels.slice(0, opts.top).map((k) => [k.kernel, String(k.calls), k.ms, `${((100 * k.ms) / p.kernelMs).toFixed(1)}%`]),
);
console.log(`\nwrote ${writeResult(`profile-meta-step-${opts.algorithm}-${opts.backend}`, env, { ...p, kernels: p.kernels })}`);
