// Spawning the metarec apps as real processes (`node --import tsx apps/<app>/src/main.ts`),
// as they run in production: the pipeline drives them over HTTP, Kafka and Redis only.
import type { ChildProcess } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { freePort, spawnSourceProcess, waitForHttp200 } from '@metarec/runtime/testing';

/** Re-exported for this harness's callers. */
export { freePort };

/** Repository root (the apps are started from their sources there). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

/** A running app process. */
export interface AppProcess {
  readonly name: string;
  readonly child: ChildProcess;
  /** stdout so far. */
  stdout(): string;
  /** stdout + stderr so far. */
  output(): string;
  readonly exited: Promise<number | null>;
  /** SIGTERM (SIGKILL after `graceMs`); resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>;
}

/**
 * Starts `apps/<app>/src/<entry>` (default `main.ts`; e.g. ingest's `co-occurrence.ts` job) with
 * `args` and `env` added to this process's environment.
 */
export function startApp(name: string, app: string, args: readonly string[], env: Readonly<Record<string, string>>, entry = 'main.ts'): AppProcess {
  const proc = spawnSourceProcess(`apps/${app}/src/${entry}`, args, { cwd: REPO_ROOT, env });
  return { ...proc, name, stop: (graceMs = 20_000) => proc.stop(graceMs) };
}

/** Polls `url` until it answers 200; fails fast with the app's output when it exits. */
export async function waitFor200(app: AppProcess, url: string, timeoutMs: number): Promise<void> {
  await waitForHttp200(app, url, timeoutMs, app.name);
}
