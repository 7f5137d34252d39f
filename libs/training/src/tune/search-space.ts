import { hashString, SeededRng } from '@metarec/runtime';

import { TrainingError } from '../errors.js';
import { parseRunSpec, type RunSpec } from '../spec/run-spec.js';
import type { SearchParam, SearchSpec, SearchValue } from '../spec/search-spec.js';

/** A trial's sampled parameters: path → value, in the space's key order. */
export type TrialParams = Readonly<Record<string, SearchValue>>;

/**
 * The training seed of trial `trial` (31-bit, from the search seed and the index): trials differ
 * in their draws, and the same search gives every trial the same seed on every machine.
 */
export function trialSeed(searchSeed: number, trial: number): number {
  return hashString(`tune-seed:${searchSeed}:${trial}`) & 0x7fffffff;
}

function sampleParam(p: SearchParam, rng: SeededRng): SearchValue {
  if ('values' in p) {
    return p.values[rng.int(p.values.length)];
  }
  const u = rng.next();
  const x = p.log ? Math.exp(Math.log(p.min) + u * (Math.log(p.max) - Math.log(p.min))) : p.min + u * (p.max - p.min);
  return p.int ? Math.min(p.max, Math.max(p.min, Math.round(x))) : x;
}

/**
 * Trial `trial`'s parameters: each drawn from its own RNG seeded by (search seed, trial), so a
 * trial's sample does not depend on how many trials there are or in which order they start.
 */
export function sampleTrialParams(search: SearchSpec, trial: number): TrialParams {
  const rng = new SeededRng(`tune-space:${search.seed}:${trial}`);
  const out: Record<string, SearchValue> = {};
  for (const [path, param] of Object.entries(search.space)) {
    out[path] = sampleParam(param, rng);
  }
  return out;
}

function setPath(target: Record<string, unknown>, path: string, value: SearchValue): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const child = node[key];
    const next: Record<string, unknown> = typeof child === 'object' && child !== null && !Array.isArray(child) ? { ...(child as Record<string, unknown>) } : {};
    node[key] = next;
    node = next;
  }
  node[keys[keys.length - 1]] = value;
}

function getPath(source: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined), source);
}

/**
 * `base` with `params` set at their paths and `seed` as the run seed, without its `search` block,
 * re-validated: the run spec a trial trains (and the one `--write-spec` writes for the best trial).
 * @throws TrainingError `TRAIN_SPEC_INVALID` naming `search.space.<path>` when a value is invalid
 * there or the path is not a run spec field (zod drops unknown keys, so that is checked after parsing).
 */
export function applyTrialParams(base: RunSpec, params: TrialParams, seed: number): RunSpec {
  const { search: _search, ...rest } = base;
  const raw: Record<string, unknown> = structuredClone(rest);
  for (const [path, value] of Object.entries(params)) {
    setPath(raw, path, value);
  }
  raw['seed'] = seed;
  let spec: RunSpec;
  try {
    spec = parseRunSpec(raw);
  } catch (e) {
    const field = (e as TrainingError).details?.['field'];
    throw new TrainingError('TRAIN_SPEC_INVALID', `search.space: a sampled value is invalid in the run spec (${(e as Error).message})`, { field: `search.space.${String(field)}` }, e);
  }
  for (const [path, value] of Object.entries(params)) {
    if (getPath(spec, path) !== value) {
      throw new TrainingError('TRAIN_SPEC_INVALID', `search.space.${path} is not a field of the run spec`, { field: `search.space.${path}` });
    }
  }
  return spec;
}
