import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';

import { extract, type Header } from 'tar-stream';
import { describe, expect, it } from 'vitest';

import { BUNDLE_MANIFEST_FILE, parseBundleManifest } from '../manifest/bundle-manifest.js';
import { TEST_SCHEMA_FINGERPRINT } from '../testing/bundle-builders.js';
import { loadBundle } from './load-bundle.js';
import { writeTar } from './tar-writer.js';

/**
 * A bundle tarball written by the hand-written ustar writer of v0.1 (before tar-stream): manifest,
 * three serving files and one 107-character path (ustar name + prefix fields).
 */
const OLD_WRITER_TARBALL = new URL('./fixtures/bundle-ustar-writer-v0.1.tar.gz', import.meta.url);
const LONG_PATH = 'vocabularies/by-field/genre-and-subgenre-vocabulary-of-the-catalog/as-exported-by-the-trainer/v1/genre.json';

interface ReadEntry {
  readonly header: Header;
  readonly bytes: Buffer;
}

/** Every entry of an uncompressed tar, read with tar-stream's extractor. */
async function readTar(tar: Buffer): Promise<ReadEntry[]> {
  const entries: ReadEntry[] = [];
  const reader = extract();
  const done = (async () => {
    for await (const entry of reader) {
      const chunks: Buffer[] = [];
      for await (const chunk of entry) {
        chunks.push(chunk as Buffer);
      }
      entries.push({ header: entry.header, bytes: Buffer.concat(chunks) });
    }
  })();
  reader.end(tar);
  await done;
  return entries;
}

async function writeDir(entries: readonly ReadEntry[]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'registry-tar-'));
  for (const entry of entries) {
    await mkdir(dirname(join(dir, entry.header.name)), { recursive: true });
    await writeFile(join(dir, entry.header.name), entry.bytes);
  }
  return dir;
}

describe('writeTar (tar-stream)', () => {
  const oldTar = gunzipSync(readFileSync(OLD_WRITER_TARBALL));

  it('reads a bundle tarball of the v0.1 hand-written writer: every file matches its manifest and the bundle loads', async () => {
    const entries = await readTar(oldTar);
    expect(entries.map((e) => e.header.name)).toEqual([BUNDLE_MANIFEST_FILE, 'weights.bin', 'config.json', 'vocabularies.json', LONG_PATH]);
    const manifest = parseBundleManifest(JSON.parse(entries[0].bytes.toString('utf8')));
    for (const file of manifest.files) {
      const bytes = entries.find((e) => e.header.name === file.path)?.bytes;
      expect(bytes && createHash('sha256').update(bytes).digest('hex')).toBe(file.sha256);
    }
    const dir = await writeDir(entries);
    try {
      const loaded = await loadBundle({ dir, readableFingerprints: new Set([TEST_SCHEMA_FINGERPRINT]) });
      expect(loaded.files.get(LONG_PATH)?.toString('utf8')).toContain('film-noir');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('writes the same entries with the same names, sizes, modes, owners and mtime as the v0.1 writer', async () => {
    const old = await readTar(oldTar);
    const rewritten = await readTar(await writeTar(old.map((e) => ({ path: e.header.name, bytes: e.bytes }))));
    const fields = (e: ReadEntry): unknown => ({ name: e.header.name, type: e.header.type, size: e.header.size, mode: e.header.mode, uid: e.header.uid, gid: e.header.gid, mtime: e.header.mtime.getTime(), sha: createHash('sha256').update(e.bytes).digest('hex') });
    expect(rewritten.map(fields)).toEqual(old.map(fields));
  });

  it('is deterministic and keeps a path of up to 100 + 155 bytes in the ustar header (no pax record)', async () => {
    const entries = [{ path: LONG_PATH, bytes: Buffer.from('x') }];
    const first = await writeTar(entries);
    expect((await writeTar(entries)).equals(first)).toBe(true);
    // One header block, one data block, two end blocks: a pax record would add two more.
    expect(first.length).toBe(4 * 512);
    const field = (offset: number, length: number): string => first.subarray(offset, offset + length).toString('latin1').replace(/\0+$/, '');
    // Split at the first slash that makes the name fit, as the v0.1 writer did.
    expect([field(345, 155), field(0, 100)]).toEqual(['vocabularies', LONG_PATH.slice('vocabularies/'.length)]);
  });

  it('writes a path too long for ustar with a pax header that tar readers resolve', async () => {
    const long = `${'a'.repeat(120)}/weights.bin`;
    const entries = await readTar(await writeTar([{ path: long, bytes: Buffer.from('w') }]));
    expect(entries.map((e) => [e.header.name, e.bytes.toString()])).toEqual([[long, 'w']]);
  });
});
