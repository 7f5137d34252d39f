import { createServer, type Socket } from 'node:net';

import { spawnSourceProcess } from './source-process.js';

/** A local TCP listener that only counts who connects: the stand-in for every service address. */
export interface ConnectionTrap {
  readonly host: string;
  readonly port: number;
  /** Connections accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

/** Opens a {@link ConnectionTrap} on 127.0.0.1 at a free port; it accepts, counts, and never answers. */
export async function openConnectionTrap(onConnection?: () => void): Promise<ConnectionTrap> {
  const sockets = new Set<Socket>();
  let count = 0;
  const server = createServer((socket) => {
    count += 1;
    sockets.add(socket);
    socket.on('error', () => sockets.delete(socket));
    socket.on('close', () => sockets.delete(socket));
    onConnection?.();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') {
    throw new Error('connection trap: no TCP address');
  }
  return {
    host: '127.0.0.1',
    port: address.port,
    connections: () => count,
    close: async () => {
      for (const socket of sockets) {
        socket.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Options of {@link probeCli}. */
export interface CliProbeOptions {
  /** The app's folder; `script` is relative to it. */
  readonly cwd: string;
  /** @defaultValue `src/main.ts` */
  readonly script?: string;
  readonly args: readonly string[];
  /** The environment, given the trap's address: point every service address and listen port at it. */
  readonly env: (trap: { host: string; port: number }) => Readonly<Record<string, string>>;
  /** The process is killed (and the result says `timedOut`) after this long. @defaultValue 60_000 */
  readonly timeoutMs?: number;
  /** Kill the process as soon as it connects to the trap (a control run: does it connect at all?). */
  readonly stopOnConnection?: boolean;
}

/** What a {@link probeCli} run did. */
export interface CliProbeResult {
  /** Exit code; null when it was killed. */
  readonly code: number | null;
  readonly stdout: string;
  /** stdout and stderr, interleaved. */
  readonly output: string;
  /** Connections the process opened to the trap (every service address and listen port). */
  readonly trapConnections: number;
  /** It was still running at `timeoutMs`. */
  readonly timedOut: boolean;
}

/**
 * Runs an app's `main.ts` once from its sources with every service address pointed at a
 * {@link ConnectionTrap}, and reports its exit code, output and how often it connected: how the
 * apps' tests prove that `--help`, `--version`, `--help-config` and a config error start nothing.
 * Point the app's listen port at the trap too: listening there fails with EADDRINUSE.
 */
export async function probeCli(options: CliProbeOptions): Promise<CliProbeResult> {
  let stop = (): void => undefined;
  const trap = await openConnectionTrap(() => {
    if (options.stopOnConnection === true) {
      stop();
    }
  });
  try {
    const proc = spawnSourceProcess(options.script ?? 'src/main.ts', options.args, { cwd: options.cwd, env: options.env({ host: trap.host, port: trap.port }) });
    stop = () => {
      proc.child.kill('SIGKILL');
    };
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      proc.child.kill('SIGKILL');
    }, options.timeoutMs ?? 60_000);
    const code = await proc.exited;
    clearTimeout(timer);
    return { code, stdout: proc.stdout(), output: proc.output(), trapConnections: trap.connections(), timedOut };
  } finally {
    await trap.close();
  }
}
