import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { DirectoryArtifactStore } from '../artifacts/directory-artifact-store.js';
import { BUNDLE_MANIFEST_FILE } from '../manifest/bundle-manifest.js';
import { buildTestBundleFiles, TEST_SCHEMA_FINGERPRINT } from '../testing/bundle-builders.js';
import type { BundleSource } from './bundle-source.js';
import { exportBundle } from './export-bundle.js';
import { loadBundle } from './load-bundle.js';

describe('exportBundle / loadBundle (real filesystem, system tar)', () => {
  let root: string;
  let store: DirectoryArtifactStore;
  let source: BundleSource;
  const bundle = buildTestBundleFiles({ seed: 7, weightBytes: 10_000 });

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'registry-export-'));
    store = new DirectoryArtifactStore({ root: join(root, 'store') });
    for (const bytes of bundle.files.values()) {
      await store.put(bytes);
    }
    source = { resolveManifest: () => Promise.resolve({ version: 3, manifest: bundle.manifest }), readBlob: (sha) => store.get(sha) };
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('writes the files, the manifest and a tarball that tar can list and extract identically', async () => {
    const result = await exportBundle({ source, model: 'm', ref: 'production', outDir: join(root, 'out'), tarballPath: join(root, 'out.tar.gz') });
    expect(result.version).toBe(3);
    // What a pod needs and nothing else: the evaluation report stays in the registry.
    const serving = [...bundle.files.keys()].filter((path) => path !== 'report.html');
    expect(result.bytes).toBe(serving.reduce((s, path) => s + (bundle.files.get(path)?.length ?? 0), 0));
    const listed = execFileSync('tar', ['-tzf', join(root, 'out.tar.gz')], { encoding: 'utf8' }).trim().split('\n').sort();
    expect(listed).toEqual([BUNDLE_MANIFEST_FILE, ...serving].sort());
    expect(result.manifest.files.map((f) => f.path).sort()).toEqual([...serving].sort());
    await mkdir(join(root, 'untar'));
    execFileSync('tar', ['-xzf', join(root, 'out.tar.gz'), '-C', join(root, 'untar')]);
    const fromDir = await loadBundle({ dir: result.dir, readableFingerprints: new Set([TEST_SCHEMA_FINGERPRINT]) });
    const fromTar = await loadBundle({ dir: join(root, 'untar'), readableFingerprints: new Set([TEST_SCHEMA_FINGERPRINT]) });
    expect(fromTar.files.get('weights.bin')).toEqual(fromDir.files.get('weights.bin'));
    expect(fromDir.files.get('weights.bin')).toEqual(bundle.files.get('weights.bin'));
  });

  it('still extracts, with tar, and loads a bundle tarball of the v0.1 hand-written ustar writer', async () => {
    const old = fileURLToPath(new URL('./fixtures/bundle-ustar-writer-v0.1.tar.gz', import.meta.url));
    await mkdir(join(root, 'old-untar'));
    execFileSync('tar', ['-xzf', old, '-C', join(root, 'old-untar')]);
    const loaded = await loadBundle({ dir: join(root, 'old-untar'), readableFingerprints: new Set([TEST_SCHEMA_FINGERPRINT]) });
    expect([...loaded.files.keys()].sort()).toEqual(loaded.manifest.files.map((f) => f.path).sort());
    expect(loaded.files.size).toBe(4);
  });

  it('includes the report when asked', async () => {
    const all = await exportBundle({ source, model: 'm', ref: '3', outDir: join(root, 'all'), purposes: ['serving', 'report'] });
    expect(all.manifest.files.map((f) => f.path)).toContain('report.html');
    expect((await loadBundle({ dir: all.dir, readableFingerprints: new Set([TEST_SCHEMA_FINGERPRINT]) })).files.size).toBe(bundle.files.size);
  });

  it('refuses a bundle whose schema fingerprint the loader cannot read', async () => {
    await expect(loadBundle({ dir: join(root, 'out'), readableFingerprints: new Set(['schema-fp-v2']) })).rejects.toMatchObject({
      code: 'REG_BUNDLE_UNREADABLE',
      field: 'schemaFingerprint',
    });
  });

  it('refuses a bundle whose file was altered after export', async () => {
    await exportBundle({ source, model: 'm', ref: '3', outDir: join(root, 'tampered') });
    const weights = await readFile(join(root, 'tampered', 'weights.bin'));
    weights.writeUInt8(weights.readUInt8(0) ^ 0xff, 0);
    await writeFile(join(root, 'tampered', 'weights.bin'), weights);
    await expect(loadBundle({ dir: join(root, 'tampered'), readableFingerprints: new Set([TEST_SCHEMA_FINGERPRINT]) })).rejects.toMatchObject({
      code: 'REG_CHECKSUM_MISMATCH',
      field: 'weights.bin',
    });
  });

  it('leaves nothing behind when a stored blob is corrupt', async () => {
    const sha = bundle.manifest.files.find((f) => f.path === 'weights.bin')?.sha256 ?? '';
    const onDisk = await readFile(store.pathOf(sha));
    onDisk.writeUInt8(onDisk.readUInt8(10) ^ 0x01, 10);
    await writeFile(store.pathOf(sha), onDisk);
    await expect(exportBundle({ source, model: 'm', ref: '3', outDir: join(root, 'never') })).rejects.toMatchObject({ code: 'REG_ARTIFACT_CORRUPT' });
    await expect(readFile(join(root, 'never', BUNDLE_MANIFEST_FILE))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
