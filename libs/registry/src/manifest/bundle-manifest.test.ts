import { describe, expect, it } from 'vitest';

import { RegistryError } from '../errors.js';
import { sampleManifest } from '../testing/bundle-builders.js';
import { manifestContentHash, parseBundleManifest } from './bundle-manifest.js';

function fieldOf(value: unknown): string | undefined {
  try {
    parseBundleManifest(value);
  } catch (error) {
    if (error instanceof RegistryError && error.code === 'REG_MANIFEST_INVALID') {
      return error.field;
    }
    throw error;
  }
  throw new Error('expected REG_MANIFEST_INVALID');
}

describe('parseBundleManifest', () => {
  it('accepts a complete manifest and applies defaults', () => {
    const parsed = parseBundleManifest(sampleManifest());
    expect(parsed.labels).toEqual({});
    expect(parsed.files.map((f) => f.path)).toContain('weights.bin');
  });

  it('names the offending field', () => {
    const manifest = sampleManifest();
    expect(fieldOf({ ...manifest, files: [{ ...manifest.files[0], path: '../../etc/passwd' }] })).toBe('manifest.files[0].path');
    expect(fieldOf({ ...manifest, files: [{ ...manifest.files[0], sha256: 'abc' }] })).toBe('manifest.files[0].sha256');
    expect(fieldOf({ ...manifest, schemaFingerprint: '' })).toBe('manifest.schemaFingerprint');
    expect(fieldOf({ ...manifest, lineage: { ...manifest.lineage, gitCommit: 'not-a-commit' } })).toBe('manifest.lineage.gitCommit');
    expect(fieldOf({ ...manifest, manifestVersion: 2 })).toBe('manifest.manifestVersion');
  });

  it('refuses duplicate paths and the reserved manifest name', () => {
    const manifest = sampleManifest();
    const file = manifest.files[0];
    expect(fieldOf({ ...manifest, files: [file, file] })).toBe('manifest.files[1].path');
    expect(fieldOf({ ...manifest, files: [{ ...file, path: 'bundle-manifest.json' }] })).toBe('manifest.files[0].path');
  });
});

describe('manifestContentHash', () => {
  it('ignores key and file order but not content', () => {
    const manifest = parseBundleManifest(sampleManifest());
    const reordered = parseBundleManifest({ ...sampleManifest(), files: [...sampleManifest().files].reverse() });
    expect(manifestContentHash(reordered)).toBe(manifestContentHash(manifest));
    const changed = parseBundleManifest({
      ...sampleManifest(),
      files: sampleManifest().files.map((f, i) => (i === 0 ? { ...f, sha256: 'f'.repeat(64) } : f)),
    });
    expect(manifestContentHash(changed)).not.toBe(manifestContentHash(manifest));
  });
});
