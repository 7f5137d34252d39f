import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';

import { syncDirectory, writeFileDurably } from '@metarec/runtime';

import { z } from 'zod';

import { TrainingError } from '../errors.js';
import type { Checkpoint } from './checkpoint.js';

/** Options of {@link CheckpointStore}. */
export interface CheckpointStoreOptions {
  /** Directory of this run's checkpoints (e.g. `<output>/<runId>/checkpoints`). */
  readonly dir: string;
  /** Checkpoints kept (older ones are deleted after a newer one is durable). @defaultValue 2 */
  readonly keep?: number;
}

const LATEST = 'LATEST';
const STATE = 'state.json';
const ARRAYS = ['params', 'adam-m', 'adam-v', 'best'] as const;

const stateSchema = z.object({
  // /2: the RNG state became sfc32's four words (was mulberry32's one); a /1 checkpoint cannot resume the same sequence.
  format: z.literal('metarec-checkpoint/2'),
  runId: z.string(),
  step: z.number().int().nonnegative(),
  epoch: z.number().int().nonnegative(),
  batchInEpoch: z.number().int().nonnegative(),
  rngAtEpochStart: z.object({
    algorithm: z.literal('sfc32'),
    a: z.number().int().nonnegative(),
    b: z.number().int().nonnegative(),
    c: z.number().int().nonnegative(),
    d: z.number().int().nonnegative(),
  }),
  optimizerStep: z.number().int().nonnegative(),
  best: z.object({ loss: z.number(), step: z.number().int() }).nullable(),
  sinceBest: z.number().int().nonnegative(),
  losses: z.array(z.number()),
  dataVersion: z.string(),
  specHash: z.string(),
  files: z.record(z.string(), z.object({ sha256: z.string(), bytes: z.number().int() })),
});

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function bytesOf(a: Float32Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/**
 * Checkpoints on the filesystem: each in its own directory written to a temp name, fsynced and
 * renamed, then `LATEST` replaced atomically (temp + rename), so a crash leaves the previous
 * checkpoint intact. Every array file's sha256 is in `state.json` and verified on load; a corrupt
 * latest checkpoint falls back to the one before.
 */
export class CheckpointStore {
  private readonly dir: string;
  private readonly keep: number;

  /** @throws TrainingError `TRAIN_OPTIONS_INVALID`. */
  constructor(options: CheckpointStoreOptions) {
    this.dir = path.resolve(options.dir);
    this.keep = options.keep ?? 2;
    if (!Number.isInteger(this.keep) || this.keep < 1) {
      throw new TrainingError('TRAIN_OPTIONS_INVALID', 'CheckpointStoreOptions.keep must be an integer >= 1', { field: 'keep' });
    }
  }

  /** Writes `checkpoint` durably and points `LATEST` at it. */
  async save(checkpoint: Checkpoint): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const name = `step-${String(checkpoint.step).padStart(8, '0')}`;
    const tmp = path.join(this.dir, `.${name}.tmp-${randomUUID()}`);
    await mkdir(tmp);
    const arrays: Record<string, Float32Array> = {
      params: checkpoint.params,
      'adam-m': checkpoint.optimizer.m,
      'adam-v': checkpoint.optimizer.v,
      ...(checkpoint.best === null ? {} : { best: checkpoint.best.params }),
    };
    const files: Record<string, { sha256: string; bytes: number }> = {};
    for (const [key, values] of Object.entries(arrays)) {
      const bytes = bytesOf(values);
      await writeFileDurably(path.join(tmp, `${key}.bin`), bytes);
      files[key] = { sha256: sha256(bytes), bytes: bytes.byteLength };
    }
    const state: z.input<typeof stateSchema> = {
      format: 'metarec-checkpoint/2',
      runId: checkpoint.runId,
      step: checkpoint.step,
      epoch: checkpoint.epoch,
      batchInEpoch: checkpoint.batchInEpoch,
      rngAtEpochStart: checkpoint.rngAtEpochStart,
      optimizerStep: checkpoint.optimizer.step,
      best: checkpoint.best === null ? null : { loss: checkpoint.best.loss, step: checkpoint.best.step },
      sinceBest: checkpoint.sinceBest,
      losses: [...checkpoint.losses],
      dataVersion: checkpoint.dataVersion,
      specHash: checkpoint.specHash,
      files,
    };
    await writeFileDurably(path.join(tmp, STATE), JSON.stringify(state));
    await syncDirectory(tmp);
    await rm(path.join(this.dir, name), { recursive: true, force: true });
    await rename(tmp, path.join(this.dir, name));
    const latestTmp = path.join(this.dir, `.${LATEST}.tmp-${randomUUID()}`);
    await writeFileDurably(latestTmp, name);
    await rename(latestTmp, path.join(this.dir, LATEST));
    await syncDirectory(this.dir);
    await this.prune();
  }

  /**
   * The newest checkpoint whose files match their checksums, or null when there is none.
   * @throws TrainingError `TRAIN_CHECKPOINT_CORRUPT` when checkpoints exist but none verifies.
   */
  async loadLatest(): Promise<Checkpoint | null> {
    const names = await this.list();
    if (names.length === 0) {
      return null;
    }
    const latest = await readFile(path.join(this.dir, LATEST), 'utf8').catch(() => null);
    const ordered = latest !== null && names.includes(latest.trim()) ? [latest.trim(), ...names.filter((n) => n !== latest.trim())] : names;
    const failures: string[] = [];
    for (const name of ordered) {
      try {
        return await this.load(name);
      } catch (e) {
        failures.push(`${name}: ${(e as Error).message}`);
      }
    }
    throw new TrainingError('TRAIN_CHECKPOINT_CORRUPT', `no checkpoint in ${this.dir} verifies (${failures.join('; ')})`, { dir: this.dir });
  }

  /** Checkpoint directory names, newest first. */
  private async list(): Promise<string[]> {
    const entries = await readdir(this.dir).catch((e: unknown) => {
      if ((e as { code?: string }).code === 'ENOENT') {
        return [] as string[];
      }
      throw e;
    });
    return entries.filter((n) => /^step-\d{8}$/.test(n)).sort().reverse();
  }

  private async load(name: string): Promise<Checkpoint> {
    const dir = path.join(this.dir, name);
    const parsed = stateSchema.safeParse(JSON.parse(await readFile(path.join(dir, STATE), 'utf8')) as unknown);
    if (!parsed.success) {
      throw new TrainingError('TRAIN_CHECKPOINT_CORRUPT', `${dir}/${STATE}: ${parsed.error.issues[0].message}`, { dir });
    }
    const s = parsed.data;
    const arrays = new Map<string, Float32Array>();
    for (const key of ARRAYS) {
      const meta = s.files[key];
      if (meta === undefined) {
        continue;
      }
      const bytes = new Uint8Array(await readFile(path.join(dir, `${key}.bin`)));
      if (bytes.byteLength !== meta.bytes || sha256(bytes) !== meta.sha256) {
        throw new TrainingError('TRAIN_CHECKPOINT_CORRUPT', `${dir}/${key}.bin does not match its checksum`, { dir, file: `${key}.bin` });
      }
      arrays.set(key, new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4));
    }
    const get = (key: string): Float32Array => {
      const a = arrays.get(key);
      if (a === undefined) {
        throw new TrainingError('TRAIN_CHECKPOINT_CORRUPT', `${dir} lacks ${key}.bin`, { dir, file: `${key}.bin` });
      }
      return a;
    };
    const bestParams = arrays.get('best');
    return {
      runId: s.runId,
      step: s.step,
      epoch: s.epoch,
      batchInEpoch: s.batchInEpoch,
      rngAtEpochStart: s.rngAtEpochStart,
      params: get('params'),
      optimizer: { step: s.optimizerStep, m: get('adam-m'), v: get('adam-v') },
      best: s.best === null || bestParams === undefined ? null : { params: bestParams, loss: s.best.loss, step: s.best.step },
      sinceBest: s.sinceBest,
      losses: s.losses,
      dataVersion: s.dataVersion,
      specHash: s.specHash,
    };
  }

  private async prune(): Promise<void> {
    const names = await this.list();
    for (const old of names.slice(this.keep)) {
      await rm(path.join(this.dir, old), { recursive: true, force: true });
    }
  }
}
