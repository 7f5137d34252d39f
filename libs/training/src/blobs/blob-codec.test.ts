import { describe, expect, it } from 'vitest';

import { decodeBlob, encodeBlob, ZERO_BLOCK_FLOATS } from './blob-codec.js';

describe('blob codec', () => {
  const values = Float32Array.from({ length: 1000 }, (_, i) => Math.sin(i));

  it('round-trips values, task count and loss, also from an unaligned buffer', () => {
    const bytes = encodeBlob({ kind: 'gradient', values, taskCount: 7, loss: 1.25 });
    expect(bytes.length).toBe(56 + 4000);
    const unaligned = Buffer.concat([Buffer.alloc(1), bytes]).subarray(1);
    const d = decodeBlob(unaligned, 'gradient', 'k');
    expect(Array.from(d.values)).toEqual(Array.from(values));
    expect(d).toMatchObject({ taskCount: 7, loss: 1.25 });
  });

  it('rejects a flipped byte, a truncated blob and the wrong kind', () => {
    const bytes = encodeBlob({ kind: 'params', values, taskCount: 0, loss: 0 });
    const flipped = Buffer.from(bytes);
    flipped[100] ^= 1;
    expect(() => decodeBlob(flipped, 'params', 'k')).toThrow(/checksum/);
    expect(() => decodeBlob(bytes.subarray(0, bytes.length - 4), 'params', 'k')).toThrow(/bytes for/);
    expect(() => decodeBlob(bytes, 'gradient', 'k')).toThrow(expect.objectContaining({ code: 'TRAIN_BLOB_CORRUPT' }));
  });
});

describe('blob codec, zero blocks elided', () => {
  // A gradient-like array: most 32-float blocks all zero, a short last block, -0 and NaN kept.
  function sparse(length: number): Float32Array {
    const v = new Float32Array(length);
    for (let i = 0; i < length; i++) {
      if (Math.floor(i / ZERO_BLOCK_FLOATS) % 4 === 1 || i >= length - 3) {
        v[i] = Math.cos(i) * 1e-3;
      }
    }
    v[5 * ZERO_BLOCK_FLOATS] = -0;
    v[9 * ZERO_BLOCK_FLOATS + 7] = Number.NaN;
    return v;
  }

  it('round-trips bit-exactly (-0, NaN, a short last block) and stores only the non-zero blocks', () => {
    const values = sparse(ZERO_BLOCK_FLOATS * 100 + 5);
    const bytes = encodeBlob({ kind: 'gradient', values, taskCount: 3, loss: 0.5 });
    expect(bytes.length).toBeLessThan(values.byteLength / 2);
    const d = decodeBlob(Buffer.concat([Buffer.alloc(3), bytes]).subarray(3), 'gradient', 'k');
    expect(Buffer.from(d.values.buffer)).toEqual(Buffer.from(values.buffer));
    expect(Object.is(d.values[5 * ZERO_BLOCK_FLOATS], -0)).toBe(true);
    expect(d).toMatchObject({ taskCount: 3, loss: 0.5 });
  });

  it('keeps the dense layout when few blocks are zero, and handles all-zero and empty arrays', () => {
    const dense = Float32Array.from({ length: 640 }, (_, i) => (i < 32 ? 0 : i));
    expect(encodeBlob({ kind: 'params', values: dense, taskCount: 0, loss: 0 }).length).toBe(56 + 640 * 4);
    for (const values of [new Float32Array(1000), new Float32Array(0)]) {
      const d = decodeBlob(encodeBlob({ kind: 'gradient', values, taskCount: 1, loss: 0 }), 'gradient', 'k');
      expect(Array.from(d.values)).toEqual(Array.from(values));
    }
  });

  it('rejects a flipped or truncated elided payload', () => {
    const bytes = encodeBlob({ kind: 'gradient', values: sparse(4000), taskCount: 1, loss: 0 });
    const flipped = Buffer.from(bytes);
    flipped[60] ^= 4;
    expect(() => decodeBlob(flipped, 'gradient', 'k')).toThrow(/checksum/);
    expect(() => decodeBlob(bytes.subarray(0, bytes.length - 8), 'gradient', 'k')).toThrow(expect.objectContaining({ code: 'TRAIN_BLOB_CORRUPT' }));
  });
});
