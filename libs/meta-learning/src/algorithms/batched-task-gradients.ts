import * as tf from '@tensorflow/tfjs';

import { biasName, weightName } from '../model/meta-model.js';
import type { ModelInputs } from '../model/model-inputs.js';
import type { NamedTensors } from '../params/flat-params.js';
import {
  disposeStacked,
  stackedDecide,
  stackedFieldEmbeddings,
  stackedHidden,
  stackedInnerLoop,
  stackedLoss,
  stackRows,
  sumOverTasks,
  type StackedInnerSpec,
} from './batched-decision.js';
import { decideFromFirst, firstLayer, firstLayerBase, gramApplies, gramInnerLoop, gramKernel } from './gram-decision.js';
import type { TableRowGradient, TaskContext } from './task-gradients.js';
import { deviceNames, named } from './device-params.js';

/** A group's contribution: each task's query loss `[T]`, dense gradients summed over its tasks, table-row gradients. */
export interface GroupGradients {
  readonly perTaskLoss: tf.Tensor1D;
  readonly grads: NamedTensors;
  readonly table: readonly TableRowGradient[];
}

/**
 * MAML / FOMAML for a group of tasks under decision-layer adaptation, all tasks in one stacked
 * computation (see batched-decision.ts), padded to the largest support and query with rows that
 * weigh zero in every loss.
 * Same result as summing `mamlTaskGradients` / `fomamlTaskGradients` over the tasks (tests compare
 * them and check the second-order result against finite differences).
 * `secondOrder`: the inner loop on the outer tape (exact MAML; Meta-SGD rates use the explicit stacked
 * loop, the first layer in closed form otherwise); else the hand-written off-tape closed-form loop
 * (plain step size only: first-order Meta-SGD runs task by task).
 */
export function groupGradients(ctx: TaskContext, tasks: ReadonlyArray<{ s: ModelInputs; q: ModelInputs }>, spec: StackedInnerSpec, secondOrder: boolean): GroupGradients {
  const { model, flat, p } = ctx;
  const S = stackRows(tasks.map((t) => t.s));
  const Q = stackRows(tasks.map((t) => t.q));
  try {
    const es = stackedFieldEmbeddings(model, flat, S);
    const eq = stackedFieldEmbeddings(model, flat, Q);
    const ones = tf.ones([tasks.length]) as tf.Tensor1D;
    const gram = gramApplies(model, spec.learnedLr);
    if (secondOrder) {
      const names = deviceNames(model, spec.steps > 0);
      const { value, grads } = tf.valueAndGrads((...xs: tf.Tensor[]) => {
        const q = named(names, xs);
        const hs = stackedHidden(model, q, S, xs[names.length] as tf.Tensor2D);
        const hq = stackedHidden(model, q, Q, xs[names.length + 1] as tf.Tensor2D);
        if (gram) {
          // The hand-written inner backward, taped: the outer gradient differentiates its few
          // forward ops instead of tfjs's generated gradient graph (reshapes, casts, broadcast sums).
          const st = gramInnerLoop(model, q, hs, S.labels, S.weights, spec);
          const zq = firstLayer(firstLayerBase(model, q, hq), gramKernel(hq, hs), st, 1);
          return stackedLoss(model, decideFromFirst(model, st.upper, zq), Q.labels, Q.weights);
        }
        const fast = stackedInnerLoop(model, q, hs, S.labels, S.weights, spec);
        return stackedLoss(model, stackedDecide(model, fast, hq), Q.labels, Q.weights);
      })([...names.map((n) => p[n]), es, eq], ones);
      const out = named(names, grads);
      for (const n of model.lrNames) {
        out[n] ??= tf.zerosLike(p[n]);
      }
      return {
        perTaskLoss: value as tf.Tensor1D,
        grads: out,
        table: [
          { rows: S.tableRows, grad: grads[names.length] },
          { rows: Q.tableRows, grad: grads[names.length + 1] },
        ],
      };
    }
    // First order: support embeddings detached (as the PyTorch reference); only the query loss is taped.
    const hsConst = stackedHidden(model, p, S, es);
    const decision = new Set(model.decisionNames);
    const outer = deviceNames(model, false).filter((n) => !decision.has(n));
    // taskGroups sends FOMAML here only without Meta-SGD rates, and configs always have a hidden layer,
    // so the closed form applies. The adapted first layer enters as the leaves cˢ·θ₀, cˢ·β₀ (plus the
    // constant −lr·hsᵀ·Aₛ part through the kernel): their gradient is Σ_t ∂L_q/∂W₀′ at the adapted weights.
    const st = gramInnerLoop(model, p, hsConst, S.labels, S.weights, spec);
    const upper = model.decisionNames.slice(2);
    const first = [weightName(0), biasName(0)];
    const leaves = [...outer, ...first, ...upper];
    const firstValues = first.map((n) => (st.decay === 1 ? p[n] : tf.mul(p[n], st.decay)));
    const { value, grads } = tf.valueAndGrads((...xs: tf.Tensor[]) => {
      const q = named(leaves, xs);
      const hq = stackedHidden(model, q, Q, xs[leaves.length] as tf.Tensor2D);
      const zq = firstLayer(firstLayerBase(model, q, hq), gramKernel(hq, hsConst), { acc: st.acc, decay: 1 }, 1);
      return stackedLoss(model, decideFromFirst(model, q, zq), Q.labels, Q.weights);
    })([...outer.map((n) => p[n]), ...firstValues, ...upper.map((n) => st.upper[n]), eq], ones);
    const out = named(leaves, grads);
    for (const n of upper) {
      out[n] = sumOverTasks(out[n], p[n]);
    }
    return { perTaskLoss: value as tf.Tensor1D, grads: out, table: [{ rows: Q.tableRows, grad: grads[leaves.length] }] };
  } finally {
    disposeStacked(S);
    disposeStacked(Q);
  }
}
