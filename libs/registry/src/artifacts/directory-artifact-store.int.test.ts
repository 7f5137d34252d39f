import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { RegistryError } from '../errors.js';
import { DirectoryArtifactStore } from './directory-artifact-store.js';

describe('DirectoryArtifactStore (real filesystem)', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'registry-store-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('stores bytes under their sha256 and reads them back verified', async () => {
    const store = new DirectoryArtifactStore({ root });
    const bytes = Buffer.from('weights');
    const stored = await store.put(bytes);
    expect(stored.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(await store.get(stored.sha256)).toEqual(bytes);
    expect(await store.stat(stored.sha256)).toEqual({ sha256: stored.sha256, bytes: 7 });
  });

  it('streams a put: size limit as bytes arrive, checksum before publishing, a corrupt copy replaced, no temp file left', async () => {
    const store = new DirectoryArtifactStore({ root });
    const parts = [Buffer.from('stream'), Buffer.from('ed '), Buffer.from('weights')];
    const sha256 = createHash('sha256').update(Buffer.concat(parts)).digest('hex');
    async function* source(): AsyncGenerator<Buffer> {
      yield* parts;
    }
    await expect(store.putStream(source(), { expectedSha256: sha256, maxBytes: 10 })).rejects.toMatchObject({ code: 'REG_PAYLOAD_TOO_LARGE', field: 'body' });
    await expect(store.putStream(source(), { expectedSha256: 'f'.repeat(64), maxBytes: 100 })).rejects.toMatchObject({ code: 'REG_CHECKSUM_MISMATCH' });
    expect(await store.check(sha256)).toBe('missing');
    expect(await store.putStream(source(), { expectedSha256: sha256, maxBytes: 100 })).toEqual({ sha256, bytes: 16 });
    expect(await store.check(sha256)).toBe('intact');
    await writeFile(store.pathOf(sha256), 'streamed weightz');
    expect(await store.check(sha256)).toBe('corrupt');
    await store.putStream(source(), { expectedSha256: sha256, maxBytes: 100 });
    expect(await store.get(sha256)).toEqual(Buffer.concat(parts));
    const { readdir } = await import('node:fs/promises');
    expect((await readdir(join(root, 'sha256', sha256.slice(0, 2)))).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('refuses bytes that do not match the declared sha256', async () => {
    const store = new DirectoryArtifactStore({ root });
    await expect(store.put(Buffer.from('a'), 'b'.repeat(64))).rejects.toMatchObject({ code: 'REG_CHECKSUM_MISMATCH' });
  });

  it('detects a flipped byte on read, reports it and never returns the bytes', async () => {
    const corrupted: string[] = [];
    const store = new DirectoryArtifactStore({ root, onCorruption: (sha) => corrupted.push(sha) });
    const { sha256 } = await store.put(Buffer.from('model weights v1'));
    const onDisk = await readFile(store.pathOf(sha256));
    onDisk.writeUInt8(onDisk.readUInt8(3) ^ 0x01, 3);
    await writeFile(store.pathOf(sha256), onDisk);
    const error = await store.get(sha256).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as RegistryError).code).toBe('REG_ARTIFACT_CORRUPT');
    expect(corrupted).toEqual([sha256]);
    // Putting the original bytes again repairs the blob.
    await store.put(Buffer.from('model weights v1'));
    expect((await store.get(sha256)).toString()).toBe('model weights v1');
  });

  it('reports a missing blob and refuses malformed addresses', async () => {
    const store = new DirectoryArtifactStore({ root });
    await expect(store.get('c'.repeat(64))).rejects.toMatchObject({ code: 'REG_ARTIFACT_MISSING' });
    await expect(store.get('../../etc/passwd')).rejects.toMatchObject({ code: 'REG_INVALID_INPUT', field: 'sha256' });
  });
});
