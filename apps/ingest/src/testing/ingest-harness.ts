// Test harness for the ingest app's integration tests and benches: spawns the real app
// (`src/main.ts` through tsx) as a child process, so tests can SIGTERM or `kill -9` it.
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@metarec/runtime/testing';

/** Re-exported for this harness's callers. */
export { freePort };

const APP_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A running ingest process. */
export interface IngestProcess {
  readonly child: ChildProcess;
  readonly port: number;
  /** Every stdout line so far (JSON logs). */
  readonly lines: string[];
  /** Resolves with the exit code (or signal) once the process ended. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts `apps/ingest` with `env` on top of the parent's environment and resolves once it
 * logged "ingest started" (rejects if it exits first or takes longer than `timeoutMs`).
 */
export async function startIngest(env: Readonly<Record<string, string>>, timeoutMs = 60_000): Promise<IngestProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--conditions=@metarec/source', '--import', 'tsx', 'src/main.ts'], {
    cwd: APP_ROOT,
    env: { ...process.env, INGEST_PORT: String(port), INGEST_HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  let pending = '';
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => {
    pending += chunk;
    const parts = pending.split('\n');
    pending = parts.pop() ?? '';
    lines.push(...parts);
  });
  const stderr: string[] = [];
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => stderr.push(chunk));
  const deadline = Date.now() + timeoutMs;
  while (!lines.some((line) => line.includes('"msg":"ingest started"'))) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`ingest exited before starting (${child.exitCode ?? child.signalCode}): ${stderr.join('')}\n${lines.slice(-20).join('\n')}`);
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`ingest did not start within ${timeoutMs} ms: ${stderr.join('')}\n${lines.slice(-20).join('\n')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { child, port, lines, exited };
}

/** Sends `signal` and waits for the exit. */
export async function stopIngest(ingest: IngestProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (ingest.child.exitCode === null && ingest.child.signalCode === null) {
    ingest.child.kill(signal);
  }
  return ingest.exited;
}
