import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { describeConfig } from '@metarec/runtime';
import { probeCli } from '@metarec/runtime/testing';
import { describe, expect, it } from 'vitest';

import { servingConfigSchema } from './config.js';

const APP_ROOT = fileURLToPath(new URL('..', import.meta.url));
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

/** Kafka, Redis, the registry and the HTTP port at the trap: a connection or a listen would show (or fail with EADDRINUSE). */
function trapped(trap: { host: string; port: number }, extra: Record<string, string> = {}): Record<string, string> {
  const address = `${trap.host}:${trap.port}`;
  return { KAFKA_BROKERS: address, REDIS_URL: `redis://${address}`, REGISTRY_URL: `http://${address}`, SERVING_HOST: trap.host, SERVING_PORT: String(trap.port), METAREC_BACKEND: 'cpu', GIT_COMMIT: 'c0ffee', ...extra };
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('serving main.ts command line: prints and exits, starts nothing', () => {
  it('--help prints usage and options, exits 0, connects nowhere', async () => {
    const run = await probeCli({ cwd: APP_ROOT, args: ['--help'], env: (trap) => trapped(trap) });
    expect(run).toMatchObject({ code: 0, trapConnections: 0, timedOut: false });
    expect(run.stdout).toContain('Usage: serving [options]');
    expect(run.stdout).toMatch(/-V, --version/);
    expect(run.stdout).toMatch(/--help-config \[format\]/);
  });

  it('--version prints the package version and commit, exits 0, connects nowhere', async () => {
    const run = await probeCli({ cwd: APP_ROOT, args: ['--version'], env: (trap) => trapped(trap) });
    expect(run).toMatchObject({ code: 0, trapConnections: 0, timedOut: false, stdout: `serving ${version} (commit c0ffee)\n` });
  });

  it('--help-config lists every variable with type and default, exits 0, connects nowhere (even with a bad environment)', async () => {
    const run = await probeCli({ cwd: APP_ROOT, args: ['--help-config'], env: (trap) => trapped(trap, { SERVING_PORT: 'bad' }) });
    expect(run).toMatchObject({ code: 0, trapConnections: 0, timedOut: false });
    const docs = describeConfig(servingConfigSchema);
    expect(docs.length).toBeGreaterThan(40);
    for (const doc of docs) {
      expect(run.stdout).toMatch(new RegExp(`^${doc.variable} +${escape(doc.type)} +${escape(doc.defaultValue ?? '(unset)')}\\n {4}${escape(doc.description)}$`, 'm'));
    }
    expect(run.stdout).toMatch(/^SERVING_PORT +port +8080$/m);
    expect(run.stdout).toMatch(/^REGISTRY_URL +url \(http:, https:\) +http:\/\/localhost:8081$/m);
  });

  it('a bad environment is one line naming each bad variable, exit 2, no stack trace, connects nowhere', async () => {
    const run = await probeCli({ cwd: APP_ROOT, args: [], env: (trap) => trapped(trap, { SERVING_PORT: '70000', NEW_ITEM_SHARE: '1.5', REGISTRY_URL: 'ftp://x', FEEDBACK_SIGNING_KEY: 'too-short' }) });
    expect(run).toMatchObject({ code: 2, trapConnections: 0, timedOut: false, stdout: '' });
    const lines = run.output.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^serving: invalid configuration: SERVING_PORT: expected an integer in \[1, 65535\], got 70000; FEEDBACK_SIGNING_KEY: must be at least 32 characters; REGISTRY_URL: expected a URL with scheme http: or https:; NEW_ITEM_SHARE: expected a number in \[0, 1\], got 1.5 \(serving --help-config lists every variable\)$/);
  });

  it('control: without those flags it does connect (the trap sees Redis)', async () => {
    const run = await probeCli({ cwd: APP_ROOT, args: [], env: (trap) => trapped(trap), stopOnConnection: true, timeoutMs: 30_000 });
    expect(run.trapConnections).toBeGreaterThan(0);
    expect(run.timedOut).toBe(false);
  });
});
