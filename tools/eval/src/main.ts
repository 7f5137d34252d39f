#!/usr/bin/env node
import { execFileSync } from 'node:child_process';

import { Command, InvalidArgumentError, Option } from 'commander';

import type { NewItemRule } from '@metarec/datasets';
import { NEW_ITEM_RULES, generateSynthetic, importMovieLens, importRatingFiles } from '@metarec/datasets';
import type { RatingsTable, Scenario } from '@metarec/evaluation';
import { ALL_SCENARIOS, isScenario, resolvePositiveThreshold, runEvaluation, tableRatingScale } from '@metarec/evaluation';
import { parseBackendName, selectBackend } from '@metarec/meta-learning';

import { ratingsTableFromDataset } from './dataset-table.js';
import type { FileDatasetFlags } from './file-dataset.js';
import { describeFileDataset, importOptionsFromFlags, ratingsTableFromFileDataset } from './file-dataset.js';
import { mergeRunDirectories } from './merge-command.js';
import type { MethodContext } from './method-registry.js';
import { ALL_METHOD_NAMES, DEFAULT_METHOD_NAMES, methodFactories } from './method-registry.js';
import type { NewItemsChoice } from './new-items-choice.js';
import { NEW_ITEMS_FROM_HELP, fileNewItems, movieLensNewItems, splitFileNewItems, syntheticNewItems } from './new-items-choice.js';
import { createProgressBar } from './progress-bar.js';
import type { SplitFile } from './split-file.js';
import { describeSplitFile, readSplitFile, splitFileRoles } from './split-file.js';
import { summaryTable } from './summary-table.js';
import { writeOutputs } from './write-outputs.js';

const int = (name: string) => (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) {
    throw new InvalidArgumentError(`${name} must be a non-negative integer`);
  }
  return n;
};
const finite = (name: string) => (v: string): number => {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) {
    throw new InvalidArgumentError(`${name} must be a number`);
  }
  return n;
};
const list = (v: string): string[] => v.split(',').map((s) => s.trim()).filter(Boolean);

function commitInfo(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch (error) {
    return `unknown (${(error as Error).message.split('\n')[0]})`;
  }
}

const program = new Command('metarec-eval')
  .description("MeLU cold-start protocol: baselines and meta-learners on the same splits; writes results.json and report.html")
  .addOption(new Option('--dataset <name>', 'data set').choices(['synthetic', 'movielens', 'file']).default('synthetic'))
  .option('--movielens-dir <dir>', 'MovieLens ML-100K/ML-1M directory (with --dataset movielens)')
  .option('--ratings <path>', 'ratings file, CSV/TSV/any separator or Arrow IPC: user, item, rating[, timestamp] (with --dataset file)')
  .option('--users <path>', 'user side-feature file (with --dataset file)')
  .option('--items <path>', 'item side-feature file (with --dataset file)')
  .option('--separator <s>', 'field separator of the files: any string (::), or tab|comma|semicolon|pipe|space (default: detected per file)')
  .addOption(new Option('--header <mode>', 'whether the files start with a header (auto: when no field of the first line is a number)').choices(['auto', 'present', 'absent']))
  .option('--columns <pairs>', 'ratings header names: user=<col>,item=<col>,rating=<col>,timestamp=<col> (default: common names)')
  .option('--column-order <list>', 'column names of a ratings file without header, in order (- to ignore one)', list)
  .addOption(new Option('--timestamp-unit <unit>', 'unit of numeric timestamps').choices(['s', 'ms']))
  .option('--rating-scale <min,max>', 'rating scale, e.g. 0.5,5 or 0,10 (default: smallest and largest rating in the file)')
  .option('--user-columns <pairs>', 'user file columns of the profile: age_bucket=<col>,gender=<col>,occupation=<col>,region=<col>')
  .option('--item-categories <list>', 'item file categorical columns (multi-valued with --category-separator); default genres/genre/categories/category', list)
  .option('--category-separator <s>', 'separator inside a multi-valued item cell (default |)')
  .option('--item-numeric <list>', 'item file numeric columns', list)
  .option('--item-year <col>', 'item file release-year column (default release_year or year)')
  .option('--item-title <col>', 'item file title column (default title or name)')
  .option('--skip-bad-rows', 'leave malformed rows out, counting and listing them, instead of failing at the first')
  .option('--order-seed <n>', 'seed of the rating order (no timestamps) and of --new-items random', int('--order-seed'), 0)
  .addOption(new Option('--new-items <rule>', 'which items are new for --dataset file (default: release-year when the items have years, else first-rating when the ratings have timestamps)').choices([...NEW_ITEM_RULES]))
  .option('--methods <list>', `comma-separated: ${ALL_METHOD_NAMES.join(', ')}`, list, DEFAULT_METHOD_NAMES)
  .addOption(new Option('--algorithm <name>', 'meta-learning algorithm of the meta methods').choices(['maml', 'fomaml', 'reptile', 'metasgd']).default('maml'))
  .option('--scenarios <list>', `comma-separated: ${ALL_SCENARIOS.join(', ')}`, list, [...ALL_SCENARIOS])
  .option('--seeds <n>', 'number of seeds', int('--seeds'), 5)
  .option('--first-seed <n>', 'first seed', int('--first-seed'), 0)
  .option('--epochs <n>', 'training epochs of the neural methods', int('--epochs'), 30)
  .option('--support-sizes <list>', 'cold-start curve support sizes', list, ['0', '1', '2', '5', '10', '20'])
  .option('--new-items-from <year>', NEW_ITEMS_FROM_HELP, int('--new-items-from'))
  .option(
    '--split-file <path>',
    'roles from a file (CSV/TSV with header kind,id,role): user rows training|new, item rows existing|new, ids as in the data set; ' +
      'unlisted users are training, unlisted items existing (if the file lists no item, new items follow the data set rule); movielens and file only',
  )
  .option('--positive-threshold <x>', 'query ratings at or above this are the positives of nDCG@10, recall@10 and AUC; inside the rating scale (default: min + 0.75 · (max − min) of the scale, 4 on 1–5, 3.875 on 0.5–5, 7.5 on 0–10)', finite('--positive-threshold'))
  .option('--no-catalogue', 'skip coverage/novelty (top-10 over the whole pool)')
  .option('--no-global-item-id', 'global_net/global_ft without item-id embeddings (as the reference)')
  .option('--meta-epochs <n>', 'meta-training epochs of melu (default: --epochs)', int('--meta-epochs'))
  .option('--curve-scenarios <list>', 'scenarios that get the cold-start curve', list, ['new_user', 'new_item'])
  .option('--backend <name>', 'tfjs backend: tensorflow | wasm | cpu (default: first that loads)')
  .option('--merge <dirs>', 'merge the results.json of these run directories (disjoint seeds and/or methods) instead of running', list)
  .option('--out <dir>', 'output directory', 'eval-out');

program.action(async (o: FileDatasetFlags & {
  dataset: 'synthetic' | 'movielens' | 'file';
  newItems?: NewItemRule;
  movielensDir?: string;
  methods: string[];
  algorithm: MethodContext['algorithm'];
  scenarios: string[];
  seeds: number;
  firstSeed: number;
  epochs: number;
  supportSizes: string[];
  newItemsFrom?: number;
  splitFile?: string;
  positiveThreshold?: number;
  catalogue: boolean;
  out: string;
  backend?: string;
  merge?: string[];
  globalItemId: boolean;
  metaEpochs?: number;
  curveScenarios: string[];
}) => {
  if (o.merge) {
    const merged = await mergeRunDirectories(o.merge);
    const paths = await writeOutputs(o.out, merged, `metarec-eval --merge ${o.merge.join(',')} (runs: ${JSON.stringify(merged.config['mergedFrom'])})`);
    process.stdout.write(`${summaryTable(merged)}\n\nwrote ${paths.json} and ${paths.html}\n`);
    return;
  }
  const backend = await selectBackend({ preferred: o.backend === undefined ? undefined : parseBackendName(o.backend, '--backend') });
  process.stderr.write(`tfjs backend: ${backend.name}\n`);
  const bad = o.scenarios.filter((s) => !isScenario(s));
  if (bad.length) {
    throw new InvalidArgumentError(`unknown scenario(s) ${bad.join(', ')}`);
  }
  if (o.splitFile !== undefined && o.dataset === 'synthetic') {
    throw new InvalidArgumentError('--split-file does not apply to --dataset synthetic: the generator decides its own users and new items');
  }
  let table: RatingsTable;
  let split: SplitFile | undefined;
  let datasetName: string;
  let newItems: NewItemsChoice;
  let dataset: MethodContext['dataset'];
  let newItemRule: NewItemRule | undefined;
  if (o.dataset === 'movielens') {
    if (!o.movielensDir) {
      throw new InvalidArgumentError('--dataset movielens needs --movielens-dir');
    }
    const ml = await importMovieLens(o.movielensDir);
    process.stderr.write(`loaded ${ml.format}: ${ml.users.length} users, ${ml.items.length} items, ${ml.interactions.count} ratings, checksums ${ml.checksums}\n`);
    table = ratingsTableFromDataset(ml);
    datasetName = ml.format;
    dataset = ml;
    split = o.splitFile === undefined ? undefined : await readSplitFile(o.splitFile, ml);
    newItems = split?.isNewItem === undefined ? movieLensNewItems(ml.format, o.newItemsFrom) : splitFileNewItems(split.path, split.listed.item.new, o);
  } else if (o.dataset === 'file') {
    const data = await importRatingFiles(importOptionsFromFlags(o));
    process.stderr.write(`${describeFileDataset(data)}\n`);
    split = o.splitFile === undefined ? undefined : await readSplitFile(o.splitFile, data);
    if (split?.isNewItem === undefined) {
      const file = ratingsTableFromFileDataset(data, o.newItems, o.orderSeed ?? 0);
      newItems = fileNewItems(file.rule, o.newItems === undefined, o.newItemsFrom);
      table = file.table;
      newItemRule = file.rule;
    } else {
      // The file marks the new items, so no dating rule is needed (data with neither years nor times works).
      newItems = splitFileNewItems(split.path, split.listed.item.new, o);
      table = ratingsTableFromDataset(data);
    }
    datasetName = `file ${o.ratings ?? ''}`;
    dataset = data;
  } else {
    const synthetic = generateSynthetic({ seed: 42, users: 1000, items: 500, interactionsPerUser: { min: 20, max: 120 } });
    // Synthetic items carry their "new" flag directly: date them before/at the cold-start time.
    table = { ...ratingsTableFromDataset(synthetic), itemReleaseMs: Float64Array.from(synthetic.isNewItem, (f) => (f ? synthetic.coldStartFromMs : synthetic.coldStartFromMs - 1)) };
    newItems = syntheticNewItems(synthetic.coldStartFromMs, o.newItemsFrom);
    datasetName = 'synthetic (datasets generator, seed 42: 1000 users, 500 items)';
    dataset = synthetic;
  }
  const scale = tableRatingScale(table);
  const threshold = resolvePositiveThreshold(scale, o.positiveThreshold);
  if (split !== undefined) {
    process.stderr.write(`${describeSplitFile(split)}\n`);
  }
  process.stderr.write(`new items: ${newItems.description}\nrating scale ${scale.min}..${scale.max}: predictions clipped to it; ranking positives rated >= ${threshold.value} (${threshold.source === 'scale' ? 'from the scale' : '--positive-threshold'})\n`);
  const seeds = Array.from({ length: o.seeds }, (_, k) => o.firstSeed + k);
  const context: MethodContext = { algorithm: o.algorithm, epochs: o.epochs, metaEpochs: o.metaEpochs ?? o.epochs, dataset, table, globalItemId: o.globalItemId };
  const bar = createProgressBar();
  const command = `metarec-eval ${process.argv.slice(2).join(' ')}`;
  const results = await runEvaluation({
    table,
    datasetName,
    methods: methodFactories(o.methods, context),
    scenarios: o.scenarios as Scenario[],
    seeds,
    supportSizes: o.supportSizes.map(Number),
    catalogueMetrics: o.catalogue,
    curveScenarios: o.curveScenarios.filter(isScenario),
    split: { newItemFromMs: newItems.fromMs, ...(split === undefined ? {} : { roles: splitFileRoles(split) }) },
    positiveThreshold: o.positiveThreshold,
    config: { command, commit: commitInfo(), backend: backend.reason, algorithm: o.algorithm, epochs: o.epochs, metaEpochs: o.metaEpochs ?? o.epochs, globalItemId: o.globalItemId, newItems: newItems.description, ...(split === undefined ? {} : { splitFile: split.path }), ...(newItemRule === undefined ? {} : { newItemRule }), node: process.version },
    onProgress: bar.update,
  }).finally(() => bar.stop());
  const paths = await writeOutputs(o.out, results, command);
  process.stdout.write(`${summaryTable(results)}\n\nwrote ${paths.json} and ${paths.html}\n`);
});

program.parseAsync().catch((error: unknown) => {
  const e = error as Error & { code?: string };
  process.stderr.write(`\nmetarec-eval failed${e.code ? ` [${e.code}]` : ''}: ${e.message}\n`);
  process.exit(1);
});
