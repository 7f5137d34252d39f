import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { API_PREFIX } from '@metarec/registry';
import { writeTestBundle } from '@metarec/registry/testing';
import { checkService } from '@metarec/runtime/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestRegistry, TEST_TOKENS, type TestRegistry } from './testing/test-registry.js';

const postgres = await checkService('postgres');
const WRITE = { authorization: `Bearer ${TEST_TOKENS.trainer}` };

describe.skipIf(!postgres.available)(`register from a path on the import volume ${postgres.available ? '' : `(skipped: ${postgres.skipReason})`}`, () => {
  let t: TestRegistry;
  let root: string;
  let outside: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'registry-import-root-'));
    outside = await mkdtemp(join(tmpdir(), 'registry-outside-'));
    t = await startTestRegistry(postgres.address, { importRoot: root });
  });
  afterAll(async () => {
    await t?.close();
    await rm(root, { recursive: true, force: true });
    await rm(outside, { recursive: true, force: true });
  });

  const post = (path: unknown, version?: number): Promise<Awaited<ReturnType<TestRegistry['app']['inject']>>> =>
    t.app.inject({ method: 'POST', url: `${API_PREFIX}/models/imported/versions/import`, headers: WRITE, payload: { path, ...(version === undefined ? {} : { version }) } });

  it('registers a bundle the trainer wrote, verified file by file, idempotently', async () => {
    await writeTestBundle(join(root, 'runs', 'r1'), { seed: 71 });
    const first = await post('runs/r1');
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ created: true, version: { version: 1, createdBy: 'trainer' } });
    expect((await post('runs/r1', 1)).statusCode).toBe(200);
    const file = await t.app.inject({ method: 'GET', url: `${API_PREFIX}/models/imported/versions/1/files/config.json` });
    expect(file.statusCode).toBe(200);
  });

  it('refuses traversal, absolute paths and symlinks out of the root, naming the field', async () => {
    await symlink(outside, join(root, 'escape'));
    await writeTestBundle(join(outside, 'b'), { seed: 72 });
    await writeTestBundle(join(root, 'runs', 'linked'), { seed: 73 });
    await writeFile(join(outside, 'secret.bin'), 'not a model');
    await rm(join(root, 'runs', 'linked', 'weights.bin'));
    await symlink(join(outside, 'secret.bin'), join(root, 'runs', 'linked', 'weights.bin'));
    const cases: [unknown, number, string, string][] = [
      ['../etc', 400, 'REG_INVALID_NAME', 'path'],
      ['/etc/passwd', 400, 'REG_INVALID_NAME', 'path'],
      ['runs/../../x', 400, 'REG_INVALID_NAME', 'path'],
      ['escape/b', 400, 'REG_INVALID_NAME', 'path'],
      ['runs/linked', 400, 'REG_INVALID_NAME', 'weights.bin'],
      ['runs/none', 400, 'REG_ARTIFACT_MISSING', 'path'],
      [42, 400, 'REG_INVALID_INPUT', 'path'],
    ];
    for (const [path, status, code, field] of cases) {
      const res = await post(path);
      expect({ path, status: res.statusCode, code: (res.json() as { code: string }).code, field: (res.json() as { field: string }).field }).toEqual({ path, status, code, field });
    }
  });

  it('refuses a file that does not match its manifest entry', async () => {
    await writeTestBundle(join(root, 'runs', 'tampered'), { seed: 74 });
    await writeFile(join(root, 'runs', 'tampered', 'config.json'), '{"edited":true}');
    const res = await post('runs/tampered');
    expect(res.json()).toMatchObject({ code: 'REG_CHECKSUM_MISMATCH', field: 'config.json' });
  });

  it('is disabled without an import root', async () => {
    const other = await startTestRegistry(postgres.address);
    try {
      const res = await other.app.inject({ method: 'POST', url: `${API_PREFIX}/models/m/versions/import`, headers: WRITE, payload: { path: 'runs/r1' } });
      expect(res.json()).toMatchObject({ code: 'REG_INVALID_INPUT', field: 'path' });
    } finally {
      await other.close();
    }
  });
});
