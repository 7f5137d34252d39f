// Test helpers: spawn an app's main.ts as a real process, find a free port, wait for a probe.
import type { ChildProcess } from 'node:child_process';

import { freePort, spawnSourceProcess, waitForHttp200 } from '@metarec/runtime/testing';

/** Re-exported for this harness's callers. */
export { freePort };

/** A spawned app process with its collected output. */
export interface AppProcess {
  readonly child: ChildProcess;
  readonly url: string;
  /** stdout + stderr so far (JSON log lines). */
  logs(): string;
  /** Resolves with the exit code. */
  readonly exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>;
}

/** Spawns `node --conditions=@metarec/source --import tsx src/main.ts` in `cwd` with `env` added. */
export function spawnApp(cwd: string, port: number, env: Readonly<Record<string, string>>): AppProcess {
  const proc = spawnSourceProcess('src/main.ts', [], { cwd, env });
  return { child: proc.child, url: `http://127.0.0.1:${port}`, logs: proc.output, exited: proc.exited, stop: (graceMs = 15_000) => proc.stop(graceMs) };
}

/** Polls `url + path` until it answers 200; throws with the logs when the process exits or time runs out. */
export async function waitFor200(app: AppProcess, path: string, timeoutMs: number): Promise<void> {
  await waitForHttp200({ child: app.child, output: app.logs }, `${app.url}${path}`, timeoutMs, 'process', 100);
}
