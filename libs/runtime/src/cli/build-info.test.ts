import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { formatVersion, readBuildInfo } from './build-info.js';

describe('readBuildInfo', () => {
  let dir: string;
  let url: URL;
  beforeAll(async () => {
    // Outside any checkout, so git knows no commit here.
    dir = await mkdtemp(join(tmpdir(), 'build-info-'));
    await writeFile(join(dir, 'package.json'), JSON.stringify({ name: '@metarec/demo', version: '2.0.1' }));
    url = pathToFileURL(join(dir, 'package.json'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads name and version; GIT_COMMIT names the commit', () => {
    expect(readBuildInfo({ packageJsonUrl: url, env: { GIT_COMMIT: 'feedbeef' } })).toEqual({ packageName: '@metarec/demo', version: '2.0.1', commit: 'feedbeef' });
  });

  it('reads the first candidate that exists (an image\'s WORKDIR holds main.js and package.json side by side)', () => {
    const missing = pathToFileURL(join(dir, 'nowhere', 'package.json'));
    expect(readBuildInfo({ packageJsonUrl: [missing, url], env: {}, askGit: false })).toEqual({ packageName: '@metarec/demo', version: '2.0.1' });
    expect(() => readBuildInfo({ packageJsonUrl: [missing], env: {}, askGit: false })).toThrow(/ENOENT/);
  });

  it('has no commit outside a checkout, or when git is not asked', () => {
    expect(readBuildInfo({ packageJsonUrl: url, env: {} })).toEqual({ packageName: '@metarec/demo', version: '2.0.1' });
    expect(readBuildInfo({ packageJsonUrl: new URL('../../package.json', import.meta.url), env: {}, askGit: false }).commit).toBeUndefined();
  });

  it('asks git inside a checkout (this repository)', () => {
    const info = readBuildInfo({ packageJsonUrl: new URL('../../package.json', import.meta.url), env: {} });
    expect(info.packageName).toBe('@metarec/runtime');
    expect(info.commit).toMatch(/^[0-9a-f]{12}$/);
  });

  it('formats the version with the commit when known', () => {
    expect(formatVersion({ packageName: 'x', version: '1.0.0' })).toBe('1.0.0');
    expect(formatVersion({ packageName: 'x', version: '1.0.0', commit: 'abc' })).toBe('1.0.0 (commit abc)');
  });
});
