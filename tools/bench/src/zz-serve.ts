import * as tf from '@tensorflow/tfjs';
import { adapt, loadParams, score, selectBackend } from '@metarec/meta-learning';
import { MELU_BENCH, meluBenchModel, servingFixture } from './melu-bench-setup.js';
await selectBackend({ preferred: (process.env.B ?? 'tensorflow') as 'tensorflow' });
const { model, params } = meluBenchModel(0);
const base = loadParams(model, params);
const { tasks, items } = servingFixture(model, 50);
const U = model.featureLayout.userFields.length;
const serve = (u: number) => { const t = tasks[u % tasks.length]; const user = adapt(base, t.support, { steps: MELU_BENCH.innerSteps, lr: MELU_BENCH.innerLr }); try { return score(user, t.support.userIndices.subarray(0, U), items); } finally { user.dispose(); } };
for (let i = 0; i < 50; i++) serve(i);
const adaptOnly = () => { const t = tasks[0]; const user = adapt(base, t.support, { steps: MELU_BENCH.innerSteps, lr: MELU_BENCH.innerLr }); user.dispose(); };
let c0 = process.cpuUsage(); for (let i = 0; i < 300; i++) adaptOnly(); let c = process.cpuUsage(c0); console.log('adapt only cpu µs', ((c.user + c.system) / 300).toFixed(0));
c0 = process.cpuUsage(); for (let i = 0; i < 300; i++) serve(i); c = process.cpuUsage(c0); console.log('serve cpu µs', ((c.user + c.system) / 300).toFixed(0));
const info = await tf.profile(() => { serve(1); return []; });
const agg = new Map<string, { n: number; ms: number }>();
for (const k of info.kernels) { const key = `${k.name} ${JSON.stringify(k.inputShapes)}`; const a = agg.get(key) ?? { n: 0, ms: 0 }; a.n++; a.ms += k.kernelTimeMs as number; agg.set(key, a); }
console.log('kernels', info.kernels.length);
for (const [k, v] of [...agg.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25)) console.log(v.n, v.ms.toFixed(3), k);
