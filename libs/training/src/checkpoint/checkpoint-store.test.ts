import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { SeededRng } from '@metarec/runtime';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { Checkpoint } from './checkpoint.js';
import { CheckpointStore } from './checkpoint-store.js';

function checkpoint(step: number): Checkpoint {
  const params = Float32Array.from({ length: 10 }, (_, i) => i + step);
  return {
    runId: 'r1',
    step,
    epoch: 1,
    batchInEpoch: 2,
    rngAtEpochStart: new SeededRng(12345).state(),
    params,
    optimizer: { step, m: new Float32Array(10).fill(0.5), v: new Float32Array(10).fill(0.25) },
    best: { params: params.map((x) => x * 2), loss: 0.75, step },
    sinceBest: 1,
    losses: [1, 0.9],
    dataVersion: 'sha256:data',
    specHash: 'sha256:spec',
  };
}

describe('CheckpointStore', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ckpt-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('returns null without checkpoints and restores the latest byte for byte', async () => {
    const store = new CheckpointStore({ dir });
    expect(await store.loadLatest()).toBeNull();
    await store.save(checkpoint(2));
    await store.save(checkpoint(4));
    const loaded = await store.loadLatest();
    expect(loaded?.step).toBe(4);
    expect(Array.from(loaded?.params ?? [])).toEqual(Array.from(checkpoint(4).params));
    expect(Array.from(loaded?.best?.params ?? [])).toEqual(Array.from(checkpoint(4).best?.params ?? []));
    expect(loaded).toMatchObject({ epoch: 1, batchInEpoch: 2, rngAtEpochStart: new SeededRng(12345).state(), sinceBest: 1, losses: [1, 0.9] });
  });

  it('keeps the newest two and falls back when the latest fails its checksum', async () => {
    const store = new CheckpointStore({ dir });
    for (const s of [2, 4, 6]) {
      await store.save(checkpoint(s));
    }
    expect((await readdir(dir)).filter((n) => n.startsWith('step-')).sort()).toEqual(['step-00000004', 'step-00000006']);
    await writeFile(path.join(dir, 'step-00000006', 'params.bin'), Buffer.alloc(40));
    expect((await store.loadLatest())?.step).toBe(4);
    await writeFile(path.join(dir, 'step-00000004', 'adam-m.bin'), Buffer.alloc(40));
    await expect(store.loadLatest()).rejects.toMatchObject({ code: 'TRAIN_CHECKPOINT_CORRUPT' });
  });

  it('refuses a format-1 checkpoint (mulberry32 RNG state), which cannot resume the same sequence', async () => {
    const store = new CheckpointStore({ dir });
    await store.save(checkpoint(2));
    const stateFile = path.join(dir, 'step-00000002', 'state.json');
    const state = JSON.parse(await readFile(stateFile, 'utf8')) as Record<string, unknown>;
    await writeFile(stateFile, JSON.stringify({ ...state, format: 'metarec-checkpoint/1', rngAtEpochStart: { algorithm: 'mulberry32', state: 12345 } }));
    await expect(store.loadLatest()).rejects.toMatchObject({ code: 'TRAIN_CHECKPOINT_CORRUPT' });
  });
});
