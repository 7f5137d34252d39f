import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { loadBundle } from '../bundle/load-bundle.js';
import { BUNDLE_MANIFEST_FILE } from './bundle-manifest.js';
import { writeBundleManifest } from './write-bundle-manifest.js';

const lineage = { trainingRunId: 'run-1', trainingSpec: { algorithm: 'maml' }, dataWatermark: '2026-11-01T00:00:00Z', gitCommit: 'abeb7d4', parentVersion: null };

describe('writeBundleManifest (real filesystem)', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'registry-manifest-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('lists every file with its sha256, size and media type, and the result loads', async () => {
    const dir = join(root, 'model');
    await mkdir(join(dir, 'report'), { recursive: true });
    await writeFile(join(dir, 'weights.bin'), Buffer.from([1, 2, 3, 4]));
    await writeFile(join(dir, 'manifest.json'), '{"format":"metarec-model-dir"}');
    await writeFile(join(dir, 'report', 'index.html'), '<h1>report</h1>');
    const manifest = await writeBundleManifest({ dir, format: 'metarec-model-dir/1', schemaFingerprint: 'fp-1', lineage });
    expect(manifest.files.map((f) => f.path)).toEqual(['manifest.json', 'report/index.html', 'weights.bin']);
    expect(manifest.files.find((f) => f.path === 'weights.bin')).toEqual({ path: 'weights.bin', bytes: 4, purpose: 'serving', sha256: createHash('sha256').update(Buffer.from([1, 2, 3, 4])).digest('hex') });
    expect(manifest.files.find((f) => f.path === 'report/index.html')).toMatchObject({ contentType: 'text/html', purpose: 'report' });
    expect(JSON.parse(await readFile(join(dir, BUNDLE_MANIFEST_FILE), 'utf8'))).toEqual(manifest);
    // Writing again (manifest present) gives the same manifest: it never lists itself.
    expect(await writeBundleManifest({ dir, format: 'metarec-model-dir/1', schemaFingerprint: 'fp-1', lineage })).toEqual(manifest);
    expect((await loadBundle({ dir, readableFingerprints: new Set(['fp-1']) })).files.size).toBe(3);
  });

  it('refuses symlinks and names the registry would refuse', async () => {
    const linked = join(root, 'linked');
    await mkdir(linked);
    await symlink('/etc/hostname', join(linked, 'weights.bin'));
    await expect(writeBundleManifest({ dir: linked, format: 'f', schemaFingerprint: 'fp', lineage })).rejects.toMatchObject({ code: 'REG_INVALID_NAME' });
    const hidden = join(root, 'hidden');
    await mkdir(hidden);
    await writeFile(join(hidden, '.DS_Store'), 'x');
    await expect(writeBundleManifest({ dir: hidden, format: 'f', schemaFingerprint: 'fp', lineage })).rejects.toMatchObject({ code: 'REG_INVALID_NAME', field: 'dir' });
  });
});
