import type { FeatureLayout } from '@metarec/schemas';

import { MetaLearningError } from '../errors.js';
import { createParamLayout, type ParamLayout, type ParamSpec } from '../params/param-layout.js';
import { resolveModelConfig, type ModelConfig } from './model-config.js';

/** Layout names. One table holds every categorical field at per-field row offsets (as MeLU), so a row's lookups are one `gather`. */
export const PARAM_NAMES = {
  categoricalTable: 'emb/categorical',
  categoryTable: 'emb/categories',
  numericWeight: 'num/w',
  numericBias: 'num/b',
} as const;

/** Prefix of Meta-SGD's per-element inner learning rates: `lr/<adapted param name>`. */
export const LR_PREFIX = 'lr/';

/** The static description of a network: feature layout, config and the parameter layout derived from them. */
export interface MetaModel {
  readonly featureLayout: FeatureLayout;
  readonly config: ModelConfig;
  readonly layout: ParamLayout;
  /** Row offset of each categorical field (user fields, then item fields) in `emb/categorical`. */
  readonly fieldOffsets: Int32Array;
  /** Cardinality of each categorical field, same order. */
  readonly fieldCardinalities: Int32Array;
  /** Width of the MLP input: `embeddingDim × (fields + [categories] + [numeric])`. */
  readonly inputDim: number;
  /** MLP weight/bias names in order `mlp/w0, mlp/b0, …`; the last pair is the output layer. */
  readonly decisionNames: readonly string[];
  /** Parameters the inner loop adapts (excluding `lr/*`). */
  readonly adaptedNames: readonly string[];
  /** Meta-SGD learning-rate parameters, `lr/<adapted name>` for adapted tensors other than the categorical table (empty unless `metaSgd`). */
  readonly lrNames: readonly string[];
}

/** `mlp/w{k}` / `mlp/b{k}` of layer k. */
export function weightName(k: number): string {
  return `mlp/w${k}`;
}
/** Bias name of layer k. */
export function biasName(k: number): string {
  return `mlp/b${k}`;
}

/**
 * Builds the model description. Specs come in the order embeddings, numeric projection, MLP,
 * Meta-SGD rates, so the flat array groups outer-only parameters first.
 * @throws MetaLearningError `ML_CONFIG_INVALID` for an invalid config or a layout without categorical fields.
 */
export function createMetaModel(featureLayout: FeatureLayout, config: Partial<ModelConfig> = {}): MetaModel {
  const c = resolveModelConfig(config);
  const fields = [...featureLayout.userFields, ...featureLayout.itemFields];
  if (fields.length === 0 || !fields.every((f) => Number.isInteger(f.cardinality) && f.cardinality >= 1)) {
    throw new MetaLearningError('ML_CONFIG_INVALID', 'FeatureLayout needs at least one categorical field, each with cardinality >= 1', {
      field: 'featureLayout',
    });
  }
  const d = c.embeddingDim;
  const fieldOffsets = new Int32Array(fields.length);
  const fieldCardinalities = Int32Array.from(fields.map((f) => f.cardinality));
  let rows = 0;
  fields.forEach((f, i) => {
    fieldOffsets[i] = rows;
    rows += f.cardinality;
  });
  const specs: ParamSpec[] = [{ name: PARAM_NAMES.categoricalTable, shape: [rows, d] }];
  let blocks = fields.length;
  if (featureLayout.categoryCount > 0) {
    specs.push({ name: PARAM_NAMES.categoryTable, shape: [featureLayout.categoryCount, d] });
    blocks += 1;
  }
  if (featureLayout.numericCount > 0) {
    specs.push({ name: PARAM_NAMES.numericWeight, shape: [featureLayout.numericCount, d] });
    specs.push({ name: PARAM_NAMES.numericBias, shape: [d] });
    blocks += 1;
  }
  const embeddingNames = specs.map((s) => s.name);
  const inputDim = d * blocks;
  const sizes = [inputDim, ...c.hidden, 1];
  const decisionNames: string[] = [];
  for (let k = 0; k + 1 < sizes.length; k++) {
    specs.push({ name: weightName(k), shape: [sizes[k], sizes[k + 1]] });
    specs.push({ name: biasName(k), shape: [sizes[k + 1]] });
    decisionNames.push(weightName(k), biasName(k));
  }
  const adaptedNames = c.adapt === 'all' ? [...embeddingNames, ...decisionNames] : [...decisionNames];
  const shapes = new Map(specs.map((s) => [s.name, s.shape]));
  // Meta-SGD rates for every adapted tensor except the shared categorical table: per-element rates
  // there would double the largest tensor, and a task only touches a few of its rows; it steps at innerLr.
  const lrNames = c.metaSgd ? adaptedNames.filter((n) => n !== PARAM_NAMES.categoricalTable).map((n) => LR_PREFIX + n) : [];
  for (const n of lrNames) {
    specs.push({ name: n, shape: shapes.get(n.slice(LR_PREFIX.length)) ?? [] });
  }
  return {
    featureLayout,
    config: c,
    layout: createParamLayout(specs),
    fieldOffsets,
    fieldCardinalities,
    inputDim,
    decisionNames,
    adaptedNames,
    lrNames,
  };
}
