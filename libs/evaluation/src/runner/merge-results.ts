import { EvalConfigError } from '../errors.js';
import { compareBest } from './comparison.js';
import type { EvaluationResults, MethodSeedResult, SeedResult } from './evaluation-results.js';
import { summarizeSeeds } from './summarize.js';

function fail(message: string): never {
  throw new EvalConfigError('EVAL_CONFIG_INVALID', `mergeResults: ${message}`);
}

/** Same seed ⇒ same split (the protocol is deterministic in the seed); checked through the split sizes. */
function joinSeed(a: SeedResult, b: SeedResult): SeedResult {
  if (JSON.stringify(a.split) !== JSON.stringify(b.split) || a.newItemCutoff !== b.newItemCutoff) {
    fail(`seed ${a.seed} has different splits in two runs (protocol options differ?)`);
  }
  const methods: Record<string, MethodSeedResult> = { ...a.methods };
  for (const [m, r] of Object.entries(b.methods)) {
    if (methods[m]) {
      fail(`seed ${a.seed}, method ${m} appears in two runs`);
    }
    methods[m] = r;
  }
  return { ...a, methods };
}

/**
 * Merges runs of the same protocol: over disjoint seeds (one process or pod per seed) and/or
 * over disjoint methods on the same seeds (a method added later), into one result whose
 * summaries and comparison are recomputed. Every seed must end up with every method. Throws
 * `EvalConfigError` (`EVAL_CONFIG_INVALID`) when datasets or scenarios differ, a (seed, method)
 * cell repeats, a seed's split differs between runs, or the grid is incomplete.
 */
export function mergeResults(parts: readonly EvaluationResults[]): EvaluationResults {
  if (parts.length === 0) {
    fail('needs at least one result');
  }
  const [first] = parts;
  const key = (r: EvaluationResults): string => JSON.stringify([r.dataset, r.scenarios]);
  const methods: string[] = [];
  const kinds: Record<string, EvaluationResults['methodKinds'][string]> = {};
  const bySeed = new Map<number, SeedResult>();
  for (const r of parts) {
    if (r.schemaVersion !== 1 || key(r) !== key(first)) {
      fail(`results differ in schema, dataset or scenarios (${key(r)} vs ${key(first)})`);
    }
    for (const m of r.methods) {
      if (!methods.includes(m)) {
        methods.push(m);
        kinds[m] = r.methodKinds[m];
      }
    }
    for (const s of r.perSeed) {
      const prev = bySeed.get(s.seed);
      bySeed.set(s.seed, prev ? joinSeed(prev, s) : s);
    }
  }
  const perSeed = [...bySeed.values()].sort((a, b) => a.seed - b.seed);
  for (const s of perSeed) {
    const missing = methods.filter((m) => !s.methods[m]);
    if (missing.length > 0) {
      fail(`seed ${s.seed} lacks ${missing.join(', ')}`);
    }
  }
  const summaries = summarizeSeeds(perSeed, first.scenarios, methods);
  return {
    ...first,
    config: { ...first.config, mergedFrom: parts.map((r) => ({ seeds: r.seeds, methods: r.methods, createdAt: r.createdAt, command: r.config['command'] })) },
    seeds: perSeed.map((s) => s.seed),
    methods,
    methodKinds: kinds,
    perSeed,
    ...summaries,
    comparison: compareBest({ summary: summaries.summary, perSeed, scenarios: first.scenarios }, kinds),
  };
}
