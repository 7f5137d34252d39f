import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { createParamLayout } from '../params/param-layout.js';
import { loadModelDir } from '../persistence/load-model-dir.js';
import { saveModelDir } from '../persistence/save-model-dir.js';
import { decodeListHead, encodeListHead } from './list-head-codec.js';
import { tinyListHead as tinyHead } from '../testing/tiny-list-head.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

describe('list head codec', () => {
  it('round-trips a head and its evidence', () => {
    const encoded = encodeListHead(tinyHead(), { itemItemL2: 30 });
    const { head, evidence } = decodeListHead(JSON.parse(JSON.stringify(encoded.json)), encoded.weights);
    expect(head.itemIds).toEqual(['a', 'b', 'c']);
    expect(Array.from(head.itemItemWeights)).toEqual([0, 0.5, 0.25, 0]);
    expect(Array.from(head.warmWeights[1])).toEqual([1, 0, 0, 0, 0]);
    expect(evidence).toEqual({ itemItemL2: 30 });
  });

  it('names the field of an inconsistent head', () => {
    const encoded = encodeListHead(tinyHead());
    const json = { ...encoded.json, logPopularity: [1, 2] };
    expect(() => decodeListHead(json, encoded.weights)).toThrow(expect.objectContaining({ code: 'ML_BUNDLE_FIELD_INVALID', details: expect.objectContaining({ field: 'logPopularity' }) }));
    expect(() => decodeListHead(encoded.json, encoded.weights.subarray(0, 8))).toThrow(/list-head.bin has 8 bytes/);
    expect(() => decodeListHead({ ...encoded.json, formatVersion: 2 }, encoded.weights)).toThrow(expect.objectContaining({ code: 'ML_BUNDLE_FORMAT_UNSUPPORTED' }));
    expect(() => encodeListHead(tinyHead({ warmWeights: [Float32Array.from([1, 0, 0, 0, 0])] }))).toThrow(/warmWeights: has 1 entries for 2 buckets/);
  });

  it('travels in a model directory, checksummed like every other file', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'list-head-'));
    dirs.push(dir);
    const layout = createParamLayout([{ name: 'w', shape: [2] }]);
    const target = path.join(dir, 'model');
    await saveModelDir(target, { layout, params: Float32Array.from([1, 2]), config: {}, vocabularies: {}, listHead: { head: tinyHead(), evidence: { folds: 3 } } });
    const loaded = await loadModelDir(target);
    expect(loaded.listHead?.head.itemIds).toEqual(['a', 'b', 'c']);
    expect(loaded.listHead?.evidence).toEqual({ folds: 3 });
    const bin = path.join(target, 'list-head.bin');
    const bytes = await readFile(bin);
    bytes[4] ^= 1;
    await writeFile(bin, bytes);
    await expect(loadModelDir(target)).rejects.toMatchObject({ code: 'ML_PERSIST_CHECKSUM_MISMATCH' });
  });
});
