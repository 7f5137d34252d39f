import type { EncodedRows, UserTask } from '@metarec/schemas';
import { describe, expect, it } from 'vitest';

import { paramView } from '../params/flat-params.js';
import { createSyntheticTasks, syntheticLayout } from '../testing/synthetic-tasks.js';
import { inProcessExecutor } from '../training-loop/in-process-executor.js';
import { initialLoopState } from '../training-loop/meta-loop-state.js';
import { runMetaTrainingSync } from '../training-loop/meta-training-loop.js';
import { initParams } from './init-params.js';
import { createMetaModel, PARAM_NAMES, type MetaModel } from './meta-model.js';

// Fields of different sizes, so a wrong offset (e.g. f × cardinality) would hit a known row.
const layout = {
  userFields: [
    { name: 'age', cardinality: 4 },
    { name: 'gender', cardinality: 3 },
  ],
  itemFields: [
    { name: 'item_id', cardinality: 9 },
    { name: 'year', cardinality: 5 },
  ],
  categoryCount: 3,
  numericCount: 2,
};
const config = { embeddingDim: 4, hidden: [8], outputOffset: 3 } as const;

/** The `[fields][d]` unknown rows (index 0 of each field) of `params`. */
function unknownRows(model: MetaModel, params: Float32Array): number[][] {
  const table = paramView(model.layout, params, PARAM_NAMES.categoricalTable);
  const d = model.config.embeddingDim;
  return Array.from(model.fieldOffsets, (o) => Array.from(table.subarray(o * d, o * d + d)));
}

/** The table rows that are not an unknown row, flattened. */
function knownValues(model: MetaModel, params: Float32Array): Float32Array {
  const table = paramView(model.layout, params, PARAM_NAMES.categoricalTable);
  const d = model.config.embeddingDim;
  const unknown = new Set(model.fieldOffsets);
  return Float32Array.from({ length: table.length }, (_, i) => table[i]).filter((_, i) => !unknown.has(Math.floor(i / d)));
}

/** `rows` with every categorical index 0 replaced by 1: tasks that never mention an unknown id. */
function withoutUnknown(rows: EncodedRows): EncodedRows {
  return { ...rows, userIndices: rows.userIndices.map((v) => Math.max(1, v)), itemIndices: rows.itemIndices.map((v) => Math.max(1, v)) };
}

const zeros = (model: MetaModel): number[][] => Array.from(model.fieldOffsets, () => new Array<number>(model.config.embeddingDim).fill(0));

describe('initParams: unknown rows', () => {
  it('starts the unknown row (index 0) of every field at zero, at the per-field offsets', () => {
    const model = createMetaModel(layout, config);
    expect(Array.from(model.fieldOffsets)).toEqual([0, 4, 7, 16]);
    const p = initParams(model, 5);
    expect(unknownRows(model, p)).toEqual(zeros(model));
  });

  it('leaves every other table row N(0, 1) and no known row zero', () => {
    const model = createMetaModel(syntheticLayout({ cardinality: 200 }), { embeddingDim: 8, hidden: [4] });
    const known = knownValues(model, initParams(model, 1));
    expect(known.length).toBe((8 * 200 - 8) * 8);
    const mean = known.reduce((s, v) => s + v, 0) / known.length;
    const sd = Math.sqrt(known.reduce((s, v) => s + (v - mean) ** 2, 0) / known.length);
    // 12,736 draws: standard error of the mean ~0.009, of the sd ~0.006.
    expect(Math.abs(mean)).toBeLessThan(0.04);
    expect(Math.abs(sd - 1)).toBeLessThan(0.03);
    expect(known.every((v) => v !== 0)).toBe(true);
  });

  for (const algorithm of ['maml', 'fomaml'] as const) {
    for (const adaptScope of ['decision-layers', 'all'] as const) {
      it(`stay exactly zero through ${algorithm} meta-training (adapt ${adaptScope}) on tasks without unknown ids, and learn when tasks carry them`, () => {
        const model = createMetaModel(layout, { ...config, adapt: adaptScope });
        const tasks = createSyntheticTasks(layout, { tasks: 8, support: 6, query: 4, seed: 3, labels: 'planted' });
        const clean: UserTask[] = tasks.map((t) => ({ ...t, support: withoutUnknown(t.support), query: withoutUnknown(t.query) }));
        const options = { metaBatchSize: 4, epochs: 10, maxSteps: 6, outerLr: 0.01 };
        const step = { algorithm, innerSteps: 2, innerLr: 0.1 };
        const init = initParams(model);
        const trained = runMetaTrainingSync(inProcessExecutor(model, clean, step), initialLoopState(model.layout, init, 0), options).params;
        expect(unknownRows(model, trained)).toEqual(zeros(model));
        // The known rows did train (the check above is not vacuous).
        expect(knownValues(model, trained)).not.toEqual(knownValues(model, init));
        // Control: synthetic tasks draw index 0 too, so the unknown rows they mention move.
        expect(tasks.some((t) => t.support.itemIndices.includes(0))).toBe(true);
        const withUnknown = runMetaTrainingSync(inProcessExecutor(model, tasks, step), initialLoopState(model.layout, init, 0), options).params;
        expect(unknownRows(model, withUnknown).some((row) => row.some((v) => v !== 0))).toBe(true);
      });
    }
  }
});
