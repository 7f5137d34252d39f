// Spawning the metarec apps as real processes (`node --import tsx apps/<app>/src/main.ts`),
// as they run in production: the pipeline drives them over HTTP, Kafka and Redis only.
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@metarec/runtime/testing';

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
  const child = spawn(process.execPath, ['--conditions=@metarec/source', '--import', 'tsx', `apps/${app}/src/${entry}`, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let all = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    all += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => (all += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return {
    name,
    child,
    stdout: () => out,
    output: () => all,
    exited,
    stop: async (graceMs = 20_000): Promise<number | null> => {
      if (child.exitCode !== null || child.signalCode !== null) {
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

/** Polls `url` until it answers 200; fails fast with the app's output when it exits. */
export async function waitFor200(app: AppProcess, url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (app.child.exitCode !== null) {
      throw new Error(`${app.name} exited with ${app.child.exitCode}:\n${app.output().slice(-4000)}`);
    }
    if ((await fetch(url).then((r) => r.status, () => 0)) === 200) {
      return;
    }
    await new Promise((done) => setTimeout(done, 200));
  }
  throw new Error(`${app.name}: ${url} not 200 after ${timeoutMs} ms:\n${app.output().slice(-4000)}`);
}
