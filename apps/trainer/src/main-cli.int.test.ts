import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { describeConfig } from '@metarec/runtime';
import { probeCli, type CliProbeResult } from '@metarec/runtime/testing';
import { describe, expect, it } from 'vitest';

import { trainerConfigSchema } from './config.js';

const APP_ROOT = fileURLToPath(new URL('..', import.meta.url));
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

/** Redis and the worker's probe port at the trap: a connection or a listen would show (or fail with EADDRINUSE). */
function trapped(trap: { host: string; port: number }, extra: Record<string, string> = {}): Record<string, string> {
  return { REDIS_URL: `redis://${trap.host}:${trap.port}`, TRAINER_HOST: trap.host, TRAINER_PORT: String(trap.port), METAREC_BACKEND: 'cpu', GIT_COMMIT: 'c0ffee', ...extra };
}

function trainer(args: string[], extra: Record<string, string> = {}): Promise<CliProbeResult> {
  return probeCli({ cwd: APP_ROOT, args, env: (trap) => trapped(trap, extra) });
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('trainer main.ts command line: prints and exits, starts nothing', () => {
  // Every command, so a command added without a description or with a start-up side effect shows here.
  it.each([
    [[], 'Usage: trainer [options] [command]'],
    [['run'], 'Usage: trainer run [options]'],
    [['worker'], 'Usage: trainer worker [options]'],
    [['tune'], 'Usage: trainer tune [options]'],
    [['schedule'], 'Usage: trainer schedule [options]'],
    [['schedules'], 'Usage: trainer schedules [options] [command]'],
    [['schedules', 'list'], 'Usage: trainer schedules list [options]'],
    [['schedules', 'remove'], 'Usage: trainer schedules remove [options] <id>'],
    [['status'], 'Usage: trainer status [options] <runId>'],
  ])('trainer %j --help prints its usage, --version and --help-config, exits 0, connects nowhere', async (command, usage) => {
    const run = await trainer([...command, '--help']);
    expect(run).toMatchObject({ code: 0, trapConnections: 0, timedOut: false });
    expect(run.stdout).toContain(usage);
    expect(run.stdout).toMatch(/-V, --version/);
    expect(run.stdout).toMatch(/--help-config \[format\]/);
  });

  it('--version (top level and on a subcommand) prints the package version and commit', async () => {
    for (const args of [['--version'], ['run', '--version']]) {
      const run = await trainer(args);
      expect(run).toMatchObject({ code: 0, trapConnections: 0, timedOut: false, stdout: `trainer ${version} (commit c0ffee)\n` });
    }
  });

  it('--help-config lists every variable with type and default (top level, text; a subcommand, json), with a bad environment too', async () => {
    const text = await trainer(['--help-config'], { TRAINER_PORT: 'bad' });
    expect(text).toMatchObject({ code: 0, trapConnections: 0, timedOut: false });
    const docs = describeConfig(trainerConfigSchema);
    for (const doc of docs) {
      expect(text.stdout).toMatch(new RegExp(`^${doc.variable} +${escape(doc.type)} +${escape(doc.defaultValue ?? '(unset)')}\\n {4}${escape(doc.description)}$`, 'm'));
    }
    expect(text.stdout).toMatch(/^TRAINER_PORT +port +9465$/m);
    const json = await trainer(['worker', '--help-config', 'json']);
    expect(json).toMatchObject({ code: 0, trapConnections: 0, timedOut: false });
    expect(JSON.parse(json.stdout)).toEqual(docs);
  });

  it('a bad environment is one line naming each bad variable, exit 2, no stack trace, connects nowhere', async () => {
    const run = await trainer(['status', 'some-run'], { REDIS_URL: 'http://x', TRAINER_PORT: '0', LOCK_DURATION_MS: '5' });
    expect(run).toMatchObject({ code: 2, trapConnections: 0, timedOut: false, stdout: '' });
    const lines = run.output.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^trainer: invalid configuration: REDIS_URL: expected a URL with scheme redis: or rediss:; TRAINER_PORT: expected an integer in \[1, 65535\], got 0; LOCK_DURATION_MS: expected an integer >= 1000, got 5 \(trainer --help-config lists every variable\)$/);
  });

  it('control: a command that needs Redis does connect (the trap sees it)', async () => {
    const run = await probeCli({ cwd: APP_ROOT, args: ['status', 'some-run'], env: (trap) => trapped(trap), stopOnConnection: true, timeoutMs: 30_000 });
    expect(run.trapConnections).toBeGreaterThan(0);
    expect(run.timedOut).toBe(false);
  });
});
