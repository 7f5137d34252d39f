import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { MetaLearningError } from '../errors.js';
import { flattenTensors, paramView, unflattenToTensors } from './flat-params.js';
import { assertLayoutsEqual, createParamLayout, layoutEntry, layoutsEqual, subLayout } from './param-layout.js';

const specs = [
  { name: 'emb/user', shape: [4, 3] },
  { name: 'mlp/b0', shape: [3] },
  { name: 'scale', shape: [] },
];

describe('ParamLayout', () => {
  it('lays entries out contiguously in order with offsets in elements', () => {
    const layout = createParamLayout(specs);
    expect(layout.entries.map((e) => [e.offset, e.size])).toEqual([
      [0, 12],
      [12, 3],
      [15, 1],
    ]);
    expect(layout.totalSize).toBe(16);
    expect(layoutEntry(layout, 'mlp/b0').offset).toBe(12);
  });

  it('rejects duplicate names and bad shapes with ML_LAYOUT_INVALID', () => {
    expect(() => createParamLayout([specs[0], specs[0]])).toThrow(MetaLearningError);
    expect(() => createParamLayout([{ name: 'x', shape: [2.5] }])).toThrow(/invalid shape/);
  });

  it('compares layouts by names, shapes and offsets', () => {
    const a = createParamLayout(specs);
    expect(layoutsEqual(a, createParamLayout(specs))).toBe(true);
    const b = createParamLayout([specs[1], specs[0], specs[2]]);
    expect(layoutsEqual(a, b)).toBe(false);
    expect(() => assertLayoutsEqual(b, a)).toThrow(/entry 0 \(mlp\/b0\)/);
    expect(subLayout(a, (n) => n.startsWith('mlp/')).totalSize).toBe(3);
  });

  it('round-trips flat → tensors → flat bit-exactly and leaks nothing', () => {
    const layout = createParamLayout(specs);
    const flat = Float32Array.from({ length: layout.totalSize }, (_, i) => Math.fround(i * 0.1 - 0.7));
    const before = tf.memory().numTensors;
    const named = unflattenToTensors(layout, flat);
    expect(named['emb/user'].shape).toEqual([4, 3]);
    const back = flattenTensors(layout, named);
    tf.dispose(Object.values(named));
    expect(tf.memory().numTensors).toBe(before);
    expect(Buffer.from(back.buffer).equals(Buffer.from(flat.buffer))).toBe(true);
    expect(Array.from(paramView(layout, flat, 'mlp/b0'))).toEqual(Array.from(flat.subarray(12, 15)));
  });

  it('rejects a wrong-length flat array and a mis-shaped tensor', () => {
    const layout = createParamLayout(specs);
    expect(() => unflattenToTensors(layout, new Float32Array(3))).toThrow(/needs 16/);
    const bad = tf.zeros([3, 4]);
    expect(() => flattenTensors(layout, { 'emb/user': bad }, true)).toThrow(/shape/);
    bad.dispose();
  });
});
