import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { broadcastMatMul } from './broadcast-mat-mul.js';
import { registerMatMulGradient, restoreMatMulGradient } from './mat-mul-gradient.js';
import { suiteBackendName } from '../testing/suite-backend.js';

const loss = (mm: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor) => (a: tf.Tensor, b: tf.Tensor): tf.Scalar => mm(a, b).square().sum();

/** Reference gradients from an explicit loop of 2-D matMuls, one per batch element. */
function loopGrads(a: tf.Tensor3D, b: tf.Tensor3D): [tf.Tensor, tf.Tensor] {
  const batch = Math.max(a.shape[0], b.shape[0]);
  const pick = (t: tf.Tensor3D, k: number): tf.Tensor2D => t.gather([t.shape[0] === 1 ? 0 : k]).squeeze([0]);
  const ga: tf.Tensor[] = [];
  const gb: tf.Tensor[] = [];
  for (let k = 0; k < batch; k++) {
    const [g1, g2] = tf.grads(loss((p, q) => tf.matMul(p as tf.Tensor2D, q as tf.Tensor2D)))([pick(a, k), pick(b, k)]);
    ga.push(g1);
    gb.push(g2);
  }
  const fold = (gs: tf.Tensor[], n: number): tf.Tensor => (n === 1 ? tf.addN(gs).expandDims(0) : tf.stack(gs));
  return [fold(ga, a.shape[0]), fold(gb, b.shape[0])];
}

function maxDiff(x: tf.Tensor, y: tf.Tensor): number {
  return tf.tidy(() => tf.sub(x, y).abs().max().dataSync()[0]);
}

// On the run's backend (METAREC_TEST_BACKEND: cpu, wasm or tensorflow): the gradient is tfjs-core's, global to every backend.
describe(`batched matMul gradients on ${suiteBackendName()}`, () => {
  it("canary: tfjs's own matMul gradient throws when the batch dimension broadcasts", () => {
    restoreMatMulGradient(); // selectBackend installed ours, which reduces correctly
    const a = tf.randomNormal([3, 4, 5], 0, 1, 'float32', 1);
    const b = tf.randomNormal([1, 5, 2], 0, 1, 'float32', 2);
    // When this stops throwing, check the values against loopGrads before dropping broadcastMatMul.
    expect(() => tf.grads(loss((p, q) => tf.matMul(p, q)))([a, b])).toThrow(/gradient of input 'b' has shape '3,5,2'/);
    expect(() => tf.grads(loss((p, q) => tf.matMul(p, q)))([b.transpose([0, 2, 1]).reshape([1, 2, 5]), a.transpose([0, 2, 1])])).toThrow(
      /gradient of input 'a'/,
    );
    registerMatMulGradient();
  });

  it.each<[[number, number, number], [number, number, number]]>([
    [[3, 4, 5], [1, 5, 2]],
    [[1, 4, 5], [3, 5, 2]],
    [[3, 4, 5], [3, 5, 2]],
  ])('broadcastMatMul %j × %j has the gradients of a per-element loop', (sa, sb) => {
    const a = tf.randomNormal(sa, 0, 1, 'float32', 3) as tf.Tensor3D;
    const b = tf.randomNormal(sb, 0, 1, 'float32', 4) as tf.Tensor3D;
    const [ga, gb] = tf.grads(loss(broadcastMatMul))([a, b]);
    const [ra, rb] = loopGrads(a, b);
    expect(ga.shape).toEqual(sa);
    expect(gb.shape).toEqual(sb);
    expect(maxDiff(ga, ra)).toBeLessThan(1e-4);
    expect(maxDiff(gb, rb)).toBeLessThan(1e-4);
  });

  it('broadcasts a rank-2 operand and honours transpose flags', () => {
    const a = tf.randomNormal([3, 5, 4], 0, 1, 'float32', 5);
    const w = tf.randomNormal([2, 5], 0, 1, 'float32', 6);
    const out = broadcastMatMul(a, w, true, true);
    expect(out.shape).toEqual([3, 4, 2]);
    const ref = tf.stack([0, 1, 2].map((k) => tf.matMul(a.gather([k]).squeeze([0]), w, true, true)));
    expect(maxDiff(out, ref)).toBeLessThan(1e-5);
    const gw = tf.grad((q: tf.Tensor) => broadcastMatMul(a, q, true, true).square().sum())(w);
    const gwRef = tf.addN([0, 1, 2].map((k) => tf.grad((q: tf.Tensor) => tf.matMul(a.gather([k]).squeeze([0]), q, true, true).square().sum())(w)));
    expect(maxDiff(gw, gwRef)).toBeLessThan(1e-4);
  });
});
