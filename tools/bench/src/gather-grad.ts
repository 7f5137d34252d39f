// Gradient of an embedding lookup (tf.gather) on the MeLU-size table, with our UnsortedSegmentSum
// loop kernel and with the backend's own (wasm: none; cpu: one mask per segment).
// Run: npx tsx --conditions=@metarec/source tools/bench/src/gather-grad.ts
import { probeGatherGrad, selectBackend } from '@metarec/meta-learning';

import { timingStats } from './bench-stats.js';
import { benchEnvironment, printTable, stderrLogger, writeResult } from './bench-report.js';

const env = benchEnvironment();
const results = [];
for (const backend of ['wasm', 'cpu'] as const) {
  await selectBackend({ preferred: backend, logger: stderrLogger });
  const p = probeGatherGrad({ repeats: 20, warmup: 3, builtinRepeats: 1 });
  results.push({
    backend,
    shape: p.shape,
    loopKernelGrad: timingStats(p.loopKernelGradMs),
    loopKernelOnly: timingStats(p.loopKernelOnlyMs),
    builtin: p.builtin.status === 'ran' ? { status: 'ran' as const, grad: timingStats(p.builtin.gradMs) } : p.builtin,
  });
}
printTable(
  'gather gradient, 8000×32 table, 512 ids (ms)',
  ['backend', 'grad, loop kernel p50', 'kernel alone p50', 'grad, built-in kernel'],
  results.map((r) => [
    r.backend,
    r.loopKernelGrad.p50_ms,
    r.loopKernelOnly.p50_ms,
    'grad' in r.builtin ? `${r.builtin.grad.p50_ms.toFixed(0)} ms` : `missing: ${r.builtin.error}`,
  ]),
);
console.log(`\nwrote ${writeResult('gather-grad', env, results)}`);
