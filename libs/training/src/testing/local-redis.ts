import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '@metarec/runtime/testing';

/** Options of {@link startLocalRedis}. */
export interface LocalRedisOptions {
  /** `redis-server` binary. @defaultValue 'redis-server' */
  readonly binary?: string;
  /**
   * AOF fsync policy. `everysec` is the dev-services (and Redis) default: a SIGKILL may lose the
   * last second of writes, which the trainer must survive. @defaultValue 'everysec'
   */
  readonly appendfsync?: 'always' | 'everysec';
}

/** A private redis-server (AOF on, `noeviction`) in a temp dir: destructive tests never touch the shared one. */
export interface LocalRedis {
  readonly url: string;
  readonly port: number;
  /** SIGKILL then start again on the same port and directory (AOF replayed; with `everysec` up to ~1 s of writes lost). */
  restart(downMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** True when a `redis-server` binary runs here. */
export function localRedisAvailable(binary = 'redis-server'): boolean {
  return spawnSync(binary, ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * {@link localRedisAvailable} for integration suites (`describe.skipIf(!…)`): under `CI=true` a
 * missing `redis-server` throws instead, because CI runs every integration test.
 */
export function localRedisForIntegrationTests(binary = 'redis-server'): boolean {
  const available = localRedisAvailable(binary);
  if (!available && process.env['CI'] === 'true') {
    throw new Error('redis-server is not installed; CI runs every integration test');
  }
  return available;
}

async function waitForPing(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`redis-server exited with ${child.exitCode}`);
    }
    const r = spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' });
    if (r.stdout?.trim() === 'PONG') {
      return;
    }
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error(`redis-server on ${port} did not answer PING within 10 s`);
}

/** Starts a private redis-server with AOF and `noeviction` on a free port, in a temp dir. */
export async function startLocalRedis(options: LocalRedisOptions = {}): Promise<LocalRedis> {
  const binary = options.binary ?? 'redis-server';
  const dir = await mkdtemp(path.join(tmpdir(), 'metarec-train-redis-'));
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', options.appendfsync ?? 'everysec', '--save', '', '--maxmemory-policy', 'noeviction'];
  let child: ChildProcess;
  const start = async (): Promise<void> => {
    child = spawn(binary, args, { stdio: 'ignore' });
    await waitForPing(port, child);
  };
  const kill = async (): Promise<void> => {
    if (child.exitCode !== null) {
      return;
    }
    const exited = new Promise((res) => child.once('exit', res));
    child.kill('SIGKILL');
    await exited;
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    restart: async (downMs = 500) => {
      await kill();
      await new Promise((res) => setTimeout(res, downMs));
      await start();
    },
    stop: async () => {
      await kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
