import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { selectBackend } from './select-backend.js';
import { reserveBackendMemory } from './reserve-backend-memory.js';

describe('reserveBackendMemory on wasm', () => {
  beforeAll(async () => {
    await selectBackend({ preferred: 'wasm' });
  });
  afterAll(async () => {
    await selectBackend({ preferred: 'wasm' });
  });

  it('grows the heap once so tensors of that size then allocate without growing it', () => {
    expect(tf.getBackend()).toBe('wasm');
    const before = tf.memory().numTensors;
    const want = 64 * 2 ** 20;
    const first = reserveBackendMemory(want);
    expect(first.backend).toBe('wasm');
    expect(first.heapBytes).toBeGreaterThanOrEqual(want);
    // Asked again: already room, nothing grows.
    expect(reserveBackendMemory(want).grewBytes).toBe(0);
    // Many tensors adding up to most of the reservation fit in the freed space.
    const held = Array.from({ length: 48 }, () => tf.zeros([256 * 1024]));
    const after = reserveBackendMemory(0);
    expect(after.heapBytes).toBe(first.heapBytes);
    tf.dispose(held);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects a negative or fractional size', () => {
    expect(() => reserveBackendMemory(-1)).toThrow(RangeError);
    expect(() => reserveBackendMemory(1.5)).toThrow(RangeError);
  });

  it('is a no-op on the cpu backend', async () => {
    await selectBackend({ preferred: 'cpu' });
    expect(reserveBackendMemory(2 ** 20)).toEqual({ backend: 'cpu', heapBytes: 0, grewBytes: 0 });
  });
});
