// matMul variants with the same FLOPs (MeLU's first layer over a meta-batch), with wasm's own
// BatchMatMul and with our dispatcher to XNNPACK's 2-D path; an MLP's gradients both ways; and
// reading a result inside vs outside tf.tidy. Printed, not asserted: timings depend on the machine.
// Run: npx tsx --conditions=@metarec/source tools/bench/src/matmul-paths.ts
import { type MatMulPathTiming, probeMatMulGradient, probeMatMulPaths, probeMatMulPathsBothKernels, probeTidyDataSync, selectBackend } from '@metarec/meta-learning';

import { timingStats, type TimingStats } from './bench-stats.js';
import { benchEnvironment, printTable, stderrLogger, writeResult } from './bench-report.js';

type Row = { name: string; shapes: string } & TimingStats;
const summarise = (paths: MatMulPathTiming[]): Row[] => paths.map((p) => ({ name: p.name, shapes: p.shapes, ...timingStats(p.ms) }));

const env = benchEnvironment();
await selectBackend({ preferred: 'wasm', logger: stderrLogger });
const both = probeMatMulPathsBothKernels({ repeats: 50, warmup: 5 });
const builtin = summarise(both.builtinKernel);
const dispatcher = summarise(both.dispatcherKernel);
const base = builtin[0].p50_ms;
printTable(
  'matMul paths on wasm, p50 ms (× = ratio to the plain 2-D product with the built-in kernel)',
  ['variant', 'shapes', 'built-in kernel', '×', 'dispatcher', '×'],
  builtin.map((r, i) => [r.name, r.shapes, r.p50_ms, (r.p50_ms / base).toFixed(1), dispatcher[i].p50_ms, (dispatcher[i].p50_ms / base).toFixed(1)]),
);
const mlp = probeMatMulGradient({ repeats: 30, warmup: 3 });
const mlpBuiltin = timingStats(mlp.builtinKernelMs);
const mlpDispatcher = timingStats(mlp.dispatcherKernelMs);
const mlpCustomGrad = timingStats(mlp.customGradExplicitTransposeMs);
printTable('MLP 256→64→64→1 value + gradients, 512 rows, on wasm (ms)', ['BatchMatMul kernel', 'p50', 'p90'], [
  ['wasm built-in', mlpBuiltin.p50_ms, mlpBuiltin.p90_ms],
  ['dispatcher (registerWasmMatMulKernel)', mlpDispatcher.p50_ms, mlpDispatcher.p90_ms],
  ['dispatcher + customGrad explicit transposes', mlpCustomGrad.p50_ms, mlpCustomGrad.p90_ms],
]);
const tidy = probeTidyDataSync({ repeats: 200, warmup: 20 });
const inside = timingStats(tidy.readInsideTidyMs);
const outside = timingStats(tidy.readOutsideTidyMs);
printTable('dataSync inside vs outside tf.tidy on wasm (ms)', ['variant', 'p50', 'p90'], [
  ['tf.tidy(() => f().dataSync())', inside.p50_ms, inside.p90_ms],
  ['y = tf.tidy(f); y.dataSync()', outside.p50_ms, outside.p90_ms],
]);
await selectBackend({ preferred: 'cpu', logger: stderrLogger });
const cpu = summarise(probeMatMulPaths({ repeats: 5, warmup: 1 }));
printTable('matMul paths on cpu (reference), p50 ms', ['variant', 'shapes', 'p50'], cpu.map((r) => [r.name, r.shapes, r.p50_ms]));
const results = {
  wasm: { builtinKernel: builtin, dispatcherKernel: dispatcher, mlpGradient: { builtinKernel: mlpBuiltin, dispatcherKernel: mlpDispatcher, dispatcherCustomGradExplicitTranspose: mlpCustomGrad }, tidyDataSync: { readInsideTidy: inside, readOutsideTidy: outside } },
  cpu: { matMulPaths: cpu },
};
console.log(`\nwrote ${writeResult('matmul-paths', env, results)}`);
