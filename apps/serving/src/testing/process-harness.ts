// Test helpers: spawn an app's main.ts as a real process, find a free port, wait for a probe.
import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from '@metarec/runtime/testing';

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
  const child = spawn(process.execPath, ['--conditions=@metarec/source', '--import', 'tsx', 'src/main.ts'], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    url: `http://127.0.0.1:${port}`,
    logs: () => output,
    exited,
    stop: async (graceMs = 15_000): Promise<number | null> => {
      if (child.exitCode !== null) {
        return child.exitCode;
      }
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** Polls `url + path` until it answers 200; throws with the logs when the process exits or time runs out. */
export async function waitFor200(app: AppProcess, path: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (app.child.exitCode !== null) {
      throw new Error(`process exited early with code ${app.child.exitCode}:\n${app.logs().slice(-3000)}`);
    }
    try {
      if ((await fetch(`${app.url}${path}`)).status === 200) {
        return;
      }
    } catch {
      // not listening yet: retry below
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${path} did not answer 200 within ${timeoutMs} ms:\n${app.logs().slice(-3000)}`);
}
