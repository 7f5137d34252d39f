import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { pipelineRunSpec } from './pipeline-training.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

describe('pipelineRunSpec', () => {
  it("trains with the trainer's ML-100K spec settings, on the run's offline store", () => {
    const ml100k = JSON.parse(readFileSync(resolve(REPO_ROOT, 'apps/trainer/specs/movielens-100k.json'), 'utf8')) as Record<string, unknown> & { data: Record<string, unknown> };
    const spec = pipelineRunSpec({ offlineStoreDir: '/w/offline-store', outputDir: '/w/runs', maxSteps: 800 }) as typeof ml100k;
    const { kind: _k1, dir: _dir, ...ml100kSplit } = ml100k.data;
    const { kind, root, ...split } = spec.data;
    expect({ kind, root }).toEqual({ kind: 'offline-store', root: '/w/offline-store' });
    expect(split).toEqual(ml100kSplit);
    const differ = ['name', 'data', 'output', 'checkpointEvery'];
    const pick = (o: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(o).filter(([key]) => !differ.includes(key)));
    expect(pick(spec)).toEqual(pick(ml100k));
  });
});
