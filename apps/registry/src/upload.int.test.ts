import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

import { API_PREFIX } from '@metarec/registry';
import { checkService, recordScenarioFigures } from '@metarec/runtime/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestRegistry, TEST_TOKENS, type TestRegistry } from './testing/test-registry.js';

const postgres = await checkService('postgres');
const MIB = 1024 * 1024;

interface UploadOutcome {
  readonly status: number | undefined;
  readonly body: string;
  /** Body bytes the client had handed to the socket when the response arrived. */
  readonly sentBeforeResponse: number;
}

/**
 * PUTs `totalBytes` of `chunk` repeated, chunked (no content-length, so no early size check can
 * help), and stops sending as soon as a response arrives.
 */
async function chunkedUpload(port: number, sha256: string, totalBytes: number, chunk: Buffer, headers: Record<string, string>): Promise<UploadOutcome> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = httpRequest({ host: '127.0.0.1', port, method: 'PUT', path: `${API_PREFIX}/blobs/${sha256}`, headers: { ...headers, 'content-type': 'application/octet-stream', 'transfer-encoding': 'chunked' } });
    req.on('response', (res) => {
      answered = true;
      const sentBeforeResponse = sent;
      const parts: Buffer[] = [];
      res.on('data', (part: Buffer) => parts.push(part));
      res.on('end', () => {
        resolve({ status: res.statusCode, body: Buffer.concat(parts).toString('utf8'), sentBeforeResponse });
        req.destroy();
      });
    });
    // The server closing the connection after its early answer is expected; anything before an answer is not.
    req.on('error', (error) => {
      if (!answered) {
        reject(error);
      }
    });
    const pump = (): void => {
      while (!answered && sent < totalBytes) {
        const part = chunk.subarray(0, Math.min(chunk.length, totalBytes - sent));
        sent += part.length;
        if (!req.write(part)) {
          req.once('drain', pump);
          return;
        }
      }
      if (!answered) {
        req.end();
      }
    };
    pump();
  });
}

function sha256OfRepeated(chunk: Buffer, totalBytes: number): string {
  const hash = createHash('sha256');
  for (let done = 0; done < totalBytes; done += chunk.length) {
    hash.update(chunk.subarray(0, Math.min(chunk.length, totalBytes - done)));
  }
  return hash.digest('hex');
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe.skipIf(!postgres.available)(`registry blob uploads ${postgres.available ? '' : `(skipped: ${postgres.skipReason})`}`, () => {
  let t: TestRegistry;
  let port: number;
  const chunk = Buffer.alloc(MIB, 7);

  beforeAll(async () => {
    // A production-like limit, well above what a test should ever have to buffer.
    t = await startTestRegistry(postgres.address, { maxUploadBytes: 512 * MIB });
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    port = (t.app.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers an unauthenticated 300 MB upload 401 before reading its body', async () => {
    const outcome = await chunkedUpload(port, 'c'.repeat(64), 300 * MIB, chunk, {});
    expect(outcome.status).toBe(401);
    expect(JSON.parse(outcome.body)).toMatchObject({ code: 'REG_AUTH_MISSING', field: 'authorization' });
    // Socket buffers on both sides hold a few MiB at most; buffering the body would need all 300.
    expect(outcome.sentBeforeResponse).toBeLessThan(32 * MIB);
    recordScenarioFigures('unauthenticated 300 MB upload', { status: outcome.status ?? 0, bodyMiB: 300, sentBeforeAnswerMiB: Math.round((outcome.sentBeforeResponse / MIB) * 10) / 10 });
  });

  it('refuses a wrong token the same way', async () => {
    const outcome = await chunkedUpload(port, 'c'.repeat(64), 300 * MIB, chunk, { authorization: 'Bearer wrong-token-0000000000' });
    expect(outcome.status).toBe(403);
    expect(outcome.sentBeforeResponse).toBeLessThan(32 * MIB);
  });

  it('streams an authenticated upload to the store: memory stays bounded, the hash is checked on the fly', async () => {
    const total = 160 * MIB;
    const sha = sha256OfRepeated(chunk, total);
    const before = process.memoryUsage();
    let peakExternal = 0;
    const sampler = setInterval(() => {
      const now = process.memoryUsage();
      peakExternal = Math.max(peakExternal, now.arrayBuffers + now.heapUsed - before.arrayBuffers - before.heapUsed);
    }, 20);
    const outcome = await chunkedUpload(port, sha, total, chunk, { authorization: `Bearer ${TEST_TOKENS.trainer}` });
    clearInterval(sampler);
    expect(outcome.status).toBe(201);
    expect(JSON.parse(outcome.body)).toEqual({ sha256: sha, bytes: total });
    // Buffered whole, the body alone would be 160 MiB of array buffers.
    expect(peakExternal).toBeLessThan(64 * MIB);
    expect(await t.store.stat(sha)).toEqual({ sha256: sha, bytes: total });
  });

  it('stops an oversized upload as its bytes arrive (413) and leaves no temp file', async () => {
    const small = await startTestRegistry(postgres.address, { maxUploadBytes: 4 * MIB });
    try {
      await small.app.listen({ host: '127.0.0.1', port: 0 });
      const smallPort = (small.app.server.address() as AddressInfo).port;
      const outcome = await chunkedUpload(smallPort, 'd'.repeat(64), 300 * MIB, chunk, { authorization: `Bearer ${TEST_TOKENS.trainer}` });
      expect(outcome.status).toBe(413);
      expect(JSON.parse(outcome.body)).toMatchObject({ code: 'REG_PAYLOAD_TOO_LARGE', field: 'body' });
      expect(outcome.sentBeforeResponse).toBeLessThan(64 * MIB);
      expect(await filesUnder(small.artifactDir)).toEqual([]);
    } finally {
      await small.close();
    }
  });

  it('cleans up after a client that disconnects mid-upload', async () => {
    const sha = 'f'.repeat(64);
    let duringUpload: string[] = [];
    await new Promise<void>((resolve) => {
      const req = httpRequest({ host: '127.0.0.1', port, method: 'PUT', path: `${API_PREFIX}/blobs/${sha}`, headers: { authorization: `Bearer ${TEST_TOKENS.trainer}`, 'content-type': 'application/octet-stream', 'transfer-encoding': 'chunked' } });
      req.on('error', () => undefined);
      req.write(chunk, () => {
        setTimeout(() => {
          void filesUnder(t.artifactDir).then((files) => {
            duringUpload = files.filter((f) => f.includes('ffff'));
            req.destroy();
            resolve();
          });
        }, 200);
      });
    });
    // The bytes were being streamed to a temp file (not held in memory)...
    expect(duringUpload).toHaveLength(1);
    // ...and the server notices the reset, fails the stream and removes its temp file.
    const deadline = Date.now() + 5_000;
    let leftovers = await filesUnder(t.artifactDir);
    while (leftovers.some((f) => f.includes('ffff')) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      leftovers = await filesUnder(t.artifactDir);
    }
    expect(leftovers.filter((f) => f.includes('ffff'))).toEqual([]);
  });

  it('refuses bytes that do not hash to the address, keeping nothing', async () => {
    const outcome = await chunkedUpload(port, 'e'.repeat(64), 3 * MIB, chunk, { authorization: `Bearer ${TEST_TOKENS.trainer}` });
    expect(outcome.status).toBe(400);
    expect(JSON.parse(outcome.body)).toMatchObject({ code: 'REG_CHECKSUM_MISMATCH', field: 'sha256' });
    expect((await filesUnder(t.artifactDir)).filter((f) => f.includes('eeee'))).toEqual([]);
  });
});
