import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { openConnectionTrap, probeCli } from './cli-probe.js';

describe('openConnectionTrap', () => {
  it('counts connections', async () => {
    const trap = await openConnectionTrap();
    const socket = connect(trap.port, trap.host);
    await new Promise((resolve) => socket.once('connect', resolve));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(trap.connections()).toBe(1);
    socket.destroy();
    await trap.close();
  });
});

describe('probeCli', () => {
  let dir: string;
  beforeAll(async () => {
    // Outside the workspace; run with this package as cwd, where node finds tsx.
    dir = await mkdtemp(join(tmpdir(), 'cli-probe-'));
    // Connects to TARGET when asked to, prints its arguments otherwise.
    await writeFile(
      join(dir, 'main.ts'),
      "import { connect } from 'node:net';\nif (process.argv[2] === 'connect') { connect(Number(process.env['TARGET_PORT']), '127.0.0.1'); setInterval(() => undefined, 1000); } else { process.stdout.write(`args ${process.argv.slice(2).join(' ')}\\n`); }\n",
    );
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reports exit code, output and no connection for a process that connects nowhere', async () => {
    const result = await probeCli({ cwd: process.cwd(), script: join(dir, 'main.ts'), args: ['--help'], env: (trap) => ({ TARGET_PORT: String(trap.port) }) });
    expect(result).toEqual({ code: 0, stdout: 'args --help\n', output: 'args --help\n', trapConnections: 0, timedOut: false });
  });

  it('sees a process that connects, and stops it on the first connection when asked', async () => {
    const result = await probeCli({ cwd: process.cwd(), script: join(dir, 'main.ts'), args: ['connect'], env: (trap) => ({ TARGET_PORT: String(trap.port) }), stopOnConnection: true, timeoutMs: 20_000 });
    expect(result.trapConnections).toBe(1);
    expect(result.code).toBeNull();
    expect(result.timedOut).toBe(false);
  });
});
