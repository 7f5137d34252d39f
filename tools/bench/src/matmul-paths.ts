// matMul variants with the same FLOPs (MeLU's first layer over a meta-batch) and reading a result
// inside vs outside tf.tidy. Printed, not asserted: timings depend on the machine.
// Run: npx tsx --conditions=@metarec/source tools/bench/src/matmul-paths.ts
import { probeMatMulGradient, probeMatMulPaths, probeTidyDataSync, selectBackend } from '@metarec/meta-learning';

import { timingStats } from './bench-stats.js';
import { benchEnvironment, printTable, stderrLogger, writeResult } from './bench-report.js';

const env = benchEnvironment();
const results = [];
for (const backend of ['wasm', 'cpu'] as const) {
  await selectBackend({ preferred: backend, logger: stderrLogger });
  const paths = probeMatMulPaths({ repeats: backend === 'wasm' ? 50 : 10, warmup: 5 }).map((p) => ({ name: p.name, shapes: p.shapes, ...timingStats(p.ms) }));
  const tidy = probeTidyDataSync({ repeats: 200, warmup: 20 });
  const mlp = probeMatMulGradient({ repeats: backend === 'wasm' ? 30 : 5, warmup: 3 });
  const tfjsGrad = timingStats(mlp.tfjsGradientMs);
  const ourGrad = timingStats(mlp.explicitTransposeGradientMs);
  printTable(`MLP 256→64→64→1 gradients, 512 rows, on ${backend} (ms)`, ['BatchMatMul gradient', 'p50', 'p90'], [
    ['tfjs (transpose flags)', tfjsGrad.p50_ms, tfjsGrad.p90_ms],
    ['registerMatMulGradient (explicit transposes on wasm)', ourGrad.p50_ms, ourGrad.p90_ms],
  ]);
  const base = paths[0].p50_ms;
  printTable(
    `matMul paths on ${backend} (ms)`,
    ['variant', 'shapes', 'p50', 'p90', '× plain 2-D'],
    paths.map((p) => [p.name, p.shapes, p.p50_ms, p.p90_ms, (p.p50_ms / base).toFixed(1)]),
  );
  const inside = timingStats(tidy.readInsideTidyMs);
  const outside = timingStats(tidy.readOutsideTidyMs);
  printTable(`dataSync inside vs outside tf.tidy on ${backend} (ms)`, ['variant', 'p50', 'p90'], [
    ['tf.tidy(() => f().dataSync())', inside.p50_ms, inside.p90_ms],
    ['y = tf.tidy(f); y.dataSync()', outside.p50_ms, outside.p90_ms],
  ]);
  results.push({ backend, matMulPaths: paths, mlpGradient: { tfjs: tfjsGrad, explicitTranspose: ourGrad }, tidyDataSync: { readInsideTidy: inside, readOutsideTidy: outside } });
}
console.log(`\nwrote ${writeResult('matmul-paths', env, results)}`);
