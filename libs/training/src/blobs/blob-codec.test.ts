import { describe, expect, it } from 'vitest';

import { decodeBlob, encodeBlob } from './blob-codec.js';

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
