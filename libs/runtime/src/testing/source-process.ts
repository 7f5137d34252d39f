import { spawn, type ChildProcess } from 'node:child_process';

/** A node process started from TypeScript sources, with its output collected. */
export interface SourceProcess {
  readonly child: ChildProcess;
  /** stdout so far. */
  stdout(): string;
  /** stdout + stderr so far, interleaved as they arrived. */
  output(): string;
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code. */
  stop(graceMs: number): Promise<number | null>;
}

/** Options of {@link spawnSourceProcess}. */
export interface SourceProcessOptions {
  readonly cwd: string;
  /** Added to this process's environment. */
  readonly env?: Readonly<Record<string, string>>;
  /** Node flags before the source-loading ones (e.g. `--max-semi-space-size=32`). */
  readonly nodeFlags?: readonly string[];
  /** A wrapper command and its arguments before node (e.g. `['taskset', '-c', '1']`). */
  readonly wrapper?: readonly string[];
  /**
   * Run this compiled JavaScript (e.g. `apps/serving/dist/main.js`, built with `tsc -b`) with plain
   * node instead of `script` through tsx: the form deployed images run, for benches that measure it.
   */
  readonly builtScript?: string;
}

/**
 * Spawns `node --conditions=@metarec/source --import tsx <script> ...args`: an app's `main.ts`
 * run from its sources as a real process, for integration tests, benches and the local pipeline.
 */
export function spawnSourceProcess(script: string, args: readonly string[], options: SourceProcessOptions): SourceProcess {
  const loader = options.builtScript === undefined ? ['--conditions=@metarec/source', '--import', 'tsx', script] : [options.builtScript];
  const node = [...(options.nodeFlags ?? []), ...loader, ...args];
  const [command, ...rest] = options.wrapper !== undefined && options.wrapper.length > 0 ? [...options.wrapper, process.execPath, ...node] : [process.execPath, ...node];
  const child = spawn(command, rest, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let all = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    all += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => (all += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    stdout: () => out,
    output: () => all,
    exited,
    stop: async (graceMs: number): Promise<number | null> => {
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

/**
 * Polls `url` until it answers 200 (every `intervalMs`); fails fast with the process's output
 * when it exits, or after `timeoutMs`. `label` names the process in the error.
 */
export async function waitForHttp200(proc: Pick<SourceProcess, 'child' | 'output'>, url: string, timeoutMs: number, label: string, intervalMs = 200): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null) {
      throw new Error(`${label} exited early with code ${proc.child.exitCode}:\n${proc.output().slice(-4000)}`);
    }
    // A refused connection (not listening yet) counts as "not yet".
    if ((await fetch(url).then((r) => r.status, () => 0)) === 200) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`${label}: ${url} did not answer 200 within ${timeoutMs} ms:\n${proc.output().slice(-4000)}`);
}
