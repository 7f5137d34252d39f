import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

import { RuntimeOptionsError } from '../errors.js';

/** What `--version` prints and a process logs at start. */
export interface BuildInfo {
  /** The package name, e.g. `@metarec/ingest`. */
  readonly packageName: string;
  /** The package version, e.g. `0.1.0`. */
  readonly version: string;
  /** The source commit, when known (`GIT_COMMIT`, else the checkout the package sits in). */
  readonly commit?: string;
}

/** Options of {@link readBuildInfo}. */
export interface ReadBuildInfoOptions {
  /**
   * The app's `package.json`, e.g. `new URL('../package.json', import.meta.url)` (same from `src/` and
   * `dist/`), or candidates tried in order, the first that exists read: an image copies the pruned
   * `dist/` (with its own package.json) to its WORKDIR, where `../package.json` is outside it.
   */
  readonly packageJsonUrl: URL | readonly URL[];
  /** The process environment: `GIT_COMMIT` (an image's build argument) names the commit. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /**
   * Ask git for the commit when `GIT_COMMIT` is unset (a source checkout). Off in images, which have
   * neither git nor a checkout.
   * @defaultValue true
   */
  readonly askGit?: boolean;
}

/** git gets this long to answer; `--version` must stay instant. */
const GIT_TIMEOUT_MS = 2_000;

function gitCommit(directory: string): string | undefined {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: directory, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: GIT_TIMEOUT_MS }).trim();
    return commit === '' ? undefined : commit;
  } catch (error) {
    // No git, or not a checkout (an image): the commit is simply unknown, which --version says.
    void error;
    return undefined;
  }
}

/**
 * Reads an app's name and version from its `package.json` and its commit from `GIT_COMMIT` or,
 * in a source checkout, `git rev-parse` (local, no network). Synchronous: it runs before anything starts.
 * @throws RuntimeOptionsError (`RT_OPTIONS_INVALID`) when the file has no name or version; the file system's error when no candidate exists.
 */
export function readBuildInfo(options: ReadBuildInfoOptions): BuildInfo {
  const candidates = (options.packageJsonUrl instanceof URL ? [options.packageJsonUrl] : options.packageJsonUrl).map((url) => fileURLToPath(url));
  // The last candidate when none exists: readFileSync's ENOENT then names it.
  const path = candidates.find((candidate) => existsSync(candidate)) ?? candidates.at(-1) ?? '';
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as { name?: unknown; version?: unknown };
  if (typeof manifest.name !== 'string' || typeof manifest.version !== 'string') {
    throw new RuntimeOptionsError('packageJsonUrl', `${path} has no name or version`);
  }
  const fromEnv = options.env['GIT_COMMIT']?.trim();
  const commit = fromEnv !== undefined && fromEnv !== '' ? fromEnv : options.askGit === false ? undefined : gitCommit(dirname(path));
  return { packageName: manifest.name, version: manifest.version, ...(commit === undefined ? {} : { commit }) };
}

/** `0.1.0 (commit 1a2b3c4d5e6f)`, or `0.1.0` when the commit is unknown. */
export function formatVersion(info: BuildInfo): string {
  return info.commit === undefined ? info.version : `${info.version} (commit ${info.commit})`;
}
