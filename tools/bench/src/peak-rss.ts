// Peak resident memory of a meta-training run on ML-100K (MeLU protocol tasks: 13-100 ratings,
// 10 query), wasm backend, MAML by default. Reports process.resourceUsage().maxRSS.
// Run: npx tsx --conditions=@metarec/source tools/bench/src/peak-rss.ts [--movielens-dir ../shared/datasets/movielens-100k] [--epochs 1]
import path from 'node:path';

import { Command } from 'commander';

import { buildUserTasks, FeatureEncoder, importMovieLens } from '@metarec/datasets';
import { createMetaModel, inProcessExecutor, initialLoopState, initParams, liveTensorCount, type MetaAlgorithm, runMetaTrainingSync, selectBackend } from '@metarec/meta-learning';

import { benchEnvironment, printTable, RESULTS_DIR, stderrLogger, writeResult } from './bench-report.js';
import { MELU_BENCH } from './melu-bench-setup.js';

const REPO = path.resolve(RESULTS_DIR, '..', '..', '..');
const opts = new Command('peak-rss')
  .option('--movielens-dir <dir>', 'ML-100K files', path.resolve(REPO, '..', 'shared', 'datasets', 'movielens-100k'))
  .option('--epochs <n>', 'meta-training epochs', (v) => Number(v), 1)
  .option('--algorithm <name>', 'maml | fomaml', 'maml')
  .parse()
  .opts<{ movielensDir: string; epochs: number; algorithm: MetaAlgorithm }>();

const mib = (bytes: number): number => Math.round(bytes / 2 ** 20);
const env = benchEnvironment();
const rssStart = process.memoryUsage().rss;
await selectBackend({ preferred: 'wasm', logger: stderrLogger });
const data = await importMovieLens(opts.movielensDir);
// MeLU has no id features: profiles and item attributes only.
const encoder = FeatureEncoder.fit({ users: data.users, items: data.items }, { includeUserId: false, includeItemId: false });
const { tasks } = buildUserTasks(
  {
    interactions: { userRows: data.interactions.userRows, itemRows: data.interactions.itemRows, labels: data.interactions.values, timestampsMs: data.interactions.timestampsMs },
    users: encoder.encodeUsers(data.users),
    items: encoder.encodeItems(data.items),
  },
  { queryCount: 10, minRatings: 13, maxRatings: 100, seed: 0 },
);
const rssData = process.memoryUsage().rss;
const model = createMetaModel(encoder.layout(), { embeddingDim: MELU_BENCH.embeddingDim, hidden: [...MELU_BENCH.hidden] });
let peakSampled = process.memoryUsage().rss;
const t0 = performance.now();
const executor = inProcessExecutor(model, tasks, { algorithm: opts.algorithm, innerSteps: MELU_BENCH.innerSteps, innerLr: MELU_BENCH.innerLr });
const result = runMetaTrainingSync(executor, initialLoopState(model.layout, initParams(model), 0), {
  epochs: opts.epochs,
  metaBatchSize: MELU_BENCH.metaBatch,
  outerLr: MELU_BENCH.outerLr,
  adam: { clipValue: MELU_BENCH.clipValue },
  onProgress: (p) => {
    peakSampled = Math.max(peakSampled, process.memoryUsage().rss);
    if (p.step % 10 === 0) {
      console.error(`step ${p.step} epoch ${p.epoch} loss ${p.loss.toFixed(4)} rss ${mib(process.memoryUsage().rss)} MiB`);
    }
  },
});
const seconds = (performance.now() - t0) / 1000;
const out = {
  dataset: opts.movielensDir,
  tasks: tasks.length,
  parameters: model.layout.totalSize,
  algorithm: opts.algorithm,
  epochs: opts.epochs,
  steps: result.steps,
  trainSeconds: Math.round(seconds * 10) / 10,
  msPerStep: Math.round((seconds * 1000) / Math.max(1, result.steps)),
  rssStartMiB: mib(rssStart),
  rssAfterDataMiB: mib(rssData),
  rssPeakSampledMiB: mib(peakSampled),
  maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  liveTensorsAfter: liveTensorCount(),
};
printTable(`meta-training on ML-100K, wasm, ${opts.algorithm}`, ['tasks', 'steps', 'ms/step', 'RSS start', 'after data', 'peak (maxRSS)', 'tensors after'], [
  [out.tasks, out.steps, out.msPerStep, `${out.rssStartMiB} MiB`, `${out.rssAfterDataMiB} MiB`, `${out.maxRssMiB} MiB`, out.liveTensorsAfter],
]);
console.log(`\nwrote ${writeResult('peak-rss', env, out)}`);
