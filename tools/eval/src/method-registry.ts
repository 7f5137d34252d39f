import type { Dataset } from '@metarec/datasets';
import type { MetaRecommenderOptions, RatingsTable, RecommenderFactory } from '@metarec/evaluation';
import type { HybridRatingModel } from '@metarec/evaluation';
import { ALL_BASELINE_NAMES, BASELINE_NAMES, EvalConfigError, GlobalNetRecommender, GlobalNetworkCache, HybridRecommender, MetaRecommender, baselineFactory, itemContent } from '@metarec/evaluation';

/** What a method factory may need beyond the training set: the features for neural models and the run's knobs. */
export interface MethodContext {
  readonly algorithm: 'maml' | 'fomaml' | 'reptile' | 'metasgd';
  readonly epochs: number;
  /** Meta-training epochs of `melu` and the default of meta specs. */
  readonly metaEpochs: number;
  /** Profiles for feature encoding (absent on the synthetic table: neural methods then refuse). */
  readonly dataset: Dataset | undefined;
  readonly table: RatingsTable;
  /** Item-id embeddings in the global baselines (the same features as the meta-learners given id=1). */
  readonly globalItemId: boolean;
}

const NEURAL_NAMES = ['global_net', 'global_ft', 'melu'] as const;

/** Every fixed method name the CLI knows; `meta/<key>=<value>/…` adds a configured meta-learner. */
export const ALL_METHOD_NAMES: readonly string[] = [...ALL_BASELINE_NAMES, ...NEURAL_NAMES, 'hybrid[/meta=0|1/choice=0|1/knn=0|1/folds=…/name=…]', 'meta/name=…/algo=…/pre=…/adapt=all|decision/id=0|1/lr=…/steps=…/epochs=…/outer=…/fo=0|1/objective=rating|choice/neg=…'];

/** Methods run when `--methods` is not given. */
export const DEFAULT_METHOD_NAMES: string[] = [...BASELINE_NAMES, ...NEURAL_NAMES, 'hybrid'];

function needDataset(name: string, context: MethodContext): Dataset {
  if (!context.dataset) {
    throw new EvalConfigError('EVAL_CONFIG_INVALID', `method ${name} needs user/item features: use --dataset movielens or --dataset file`);
  }
  return context.dataset;
}

/** Parses `meta/name=x/algo=metasgd/pre=10/adapt=all/id=1/lr=0.01/steps=5/epochs=30`. */
export function parseMetaSpec(spec: string, context: MethodContext): MetaRecommenderOptions {
  const kv = new Map(spec.split('/').slice(1).map((p) => p.split('=') as [string, string]));
  const known = new Set(['name', 'algo', 'pre', 'adapt', 'id', 'lr', 'steps', 'epochs', 'outer', 'fo', 'objective', 'neg']);
  for (const k of kv.keys()) {
    if (!known.has(k)) {
      throw new EvalConfigError('EVAL_CONFIG_INVALID', `meta spec "${spec}": unknown key ${k} (known: ${[...known].join(', ')})`);
    }
  }
  const num = (k: string, d: number): number => (kv.has(k) ? Number(kv.get(k)) : d);
  const algorithm = (kv.get('algo') ?? context.algorithm) as MethodContext['algorithm'];
  const adapt = kv.get('adapt') === 'all' ? 'all' : 'decision-layers';
  return {
    dataset: needDataset(spec, context),
    name: kv.get('name') ?? spec.replace(/\//g, '_'),
    model: { adapt, includeItemId: kv.get('id') === '1', objective: kv.get('objective') === 'choice' ? 'choice' : 'rating', negativesPerPositive: num('neg', 1) },
    meta: {
      algorithm,
      epochs: num('epochs', context.metaEpochs),
      pretrainEpochs: num('pre', 0),
      innerLr: num('lr', 0.01),
      innerSteps: num('steps', 5),
      outerLr: num('outer', 1e-3),
      metaSgdFirstOrder: kv.get('fo') === '1',
    },
  };
}

/** Factories for the requested names; throws `EvalConfigError` on an unknown name. */
export function methodFactories(names: readonly string[], context: MethodContext): RecommenderFactory[] {
  // One cache per run: global_net, global_ft and meta-learners pre-trained with the same settings share one training per seed.
  const cache = new GlobalNetworkCache();
  return names.map((name): RecommenderFactory => {
    if ((ALL_BASELINE_NAMES as readonly string[]).includes(name)) {
      return baselineFactory(name as (typeof ALL_BASELINE_NAMES)[number]);
    }
    if (name === 'global_net' || name === 'global_ft') {
      const dataset = needDataset(name, context);
      return { name, create: () => new GlobalNetRecommender({ dataset, cache, fineTune: name === 'global_ft', model: { includeItemId: context.globalItemId }, training: { epochs: context.epochs } }) };
    }
    if (name === 'melu') {
      // MeLU as published (and the reference): random init, decision layers adapted, 5 steps at 0.01.
      const options = parseMetaSpec(`meta/name=melu/algo=${context.algorithm}`, context);
      return { name, kind: 'meta-learner', create: () => new MetaRecommender({ ...options, cache }) };
    }
    if (name === 'hybrid' || name.startsWith('hybrid/')) {
      return hybridFactory(name, context, cache);
    }
    if (name.startsWith('meta/')) {
      const options = parseMetaSpec(name, context);
      return { name: options.name, kind: 'meta-learner', create: () => new MetaRecommender({ ...options, cache }) };
    }
    throw new EvalConfigError('EVAL_CONFIG_INVALID', `unknown method "${name}"; known: ${ALL_METHOD_NAMES.join(', ')}`);
  });
}

/** The meta-learner the hybrid stacks by default (issue 14's best: FOMAML from a pre-trained net, item ids, 8 meta-epochs). */
export const HYBRID_META_SPEC = 'meta/name=meta_best/algo=fomaml/pre=15/id=1/lr=0.02/epochs=8';

/** The choice meta-learner the hybrid ranks with: FOMAML on rated vs sampled unrated items, pre-trained, item ids. */
export const HYBRID_CHOICE_SPEC = 'meta/algo=fomaml/pre=15/id=1/epochs=8/objective=choice/neg=1';
/** Inner step sizes the hybrid chooses the choice model's from, on fold-0 validation users. */
export const HYBRID_CHOICE_INNER_LRS: readonly number[] = [0.03, 0.1, 0.3];

/**
 * Parses `hybrid[/meta=0|1][/choice=0|1][/knn=0|1][/folds=k][/name=…]`: the stack of bias, MF,
 * (knn=1) the item-KNN residual model and (meta=1, the default when features exist) the rating
 * meta-learner, with the choice meta-learner as a list feature unless choice=0.
 */
function hybridFactory(spec: string, context: MethodContext, cache: GlobalNetworkCache): RecommenderFactory {
  const kv = new Map(spec.split('/').slice(1).map((p) => p.split('=') as [string, string]));
  for (const k of kv.keys()) {
    if (k !== 'meta' && k !== 'choice' && k !== 'knn' && k !== 'folds' && k !== 'name') {
      throw new EvalConfigError('EVAL_CONFIG_INVALID', `hybrid spec "${spec}": unknown key ${k} (known: meta, choice, knn, folds, name)`);
    }
  }
  const withMeta = kv.has('meta') ? kv.get('meta') === '1' : context.dataset !== undefined;
  const ratingModels: HybridRatingModel[] = [baselineFactory('bias'), baselineFactory('mf'), ...(kv.get('knn') === '1' ? [baselineFactory('item_knn')] : [])];
  if (withMeta) {
    const options = parseMetaSpec(HYBRID_META_SPEC, context);
    ratingModels.push({ name: options.name, create: () => new MetaRecommender({ ...options, cache }) });
  }
  const withChoice = withMeta && kv.get('choice') !== '0';
  const choiceModels: HybridRatingModel[] = withChoice
    ? HYBRID_CHOICE_INNER_LRS.map((lr) => {
        const options = parseMetaSpec(`${HYBRID_CHOICE_SPEC}/lr=${lr}/name=choice_lr${lr}`, context);
        return { name: options.name, create: () => new MetaRecommender({ ...options, cache }) };
      })
    : [];
  const content = context.dataset ? itemContent(context.dataset.items) : undefined;
  const name = kv.get('name') ?? 'hybrid';
  return { name, kind: 'meta-learner', create: () => new HybridRecommender({ name, ratingModels, choiceModels, content, folds: kv.has('folds') ? Number(kv.get('folds')) : undefined }) };
}
