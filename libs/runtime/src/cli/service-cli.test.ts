import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import { env } from '../config/env.js';
import { addServiceCliOptions, CONFIG_ERROR_EXIT_CODE, parseServiceCli, runServiceCli, type CliIo } from './service-cli.js';

const schema = z.object({
  DEMO_PORT: env.port('port of the demo').default(9999),
  DEMO_URL: env.url('where the demo reads from', ['redis:']).default('redis://localhost:6380'),
  LOG_LEVEL: env.oneOf(['info', 'warn'], 'log level').default('info'),
});

function capture(): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { stdout: (t) => (out += t), stderr: (t) => (err += t), out: () => out, err: () => err };
}

const buildInfo = { packageName: '@metarec/demo', version: '1.2.3', commit: 'abcdef123456' };
const argv = (...args: string[]): string[] => ['node', 'main.js', ...args];

function demo(io: CliIo, args: string[], environment: Record<string, string> = {}): ReturnType<typeof runServiceCli<typeof schema>> {
  return runServiceCli({ name: 'demo', description: 'a demo service', configSchema: schema, buildInfo, io, argv: argv(...args), env: environment, helpAfter: 'Endpoints: /healthz' });
}

describe('runServiceCli', () => {
  it('--help prints usage, the options and the footer, exits 0 and loads no config (a bad env does not matter)', async () => {
    const io = capture();
    expect(await demo(io, ['--help'], { DEMO_PORT: 'nope' })).toEqual({ kind: 'exit', code: 0 });
    expect(io.out()).toContain('Usage: demo [options]');
    expect(io.out()).toContain('a demo service');
    expect(io.out()).toMatch(/-V, --version +print the version/);
    expect(io.out()).toMatch(/--help-config \[format\] +list the environment variables/);
    expect(io.out()).toContain('Endpoints: /healthz');
    expect(io.out()).toContain('`demo --help-config` lists them');
    expect(io.err()).toBe('');
  });

  it('--version prints name, version and commit', async () => {
    const io = capture();
    expect(await demo(io, ['--version'])).toEqual({ kind: 'exit', code: 0 });
    expect(io.out()).toBe('demo 1.2.3 (commit abcdef123456)\n');
  });

  it('--help-config prints every variable with type and default, in each format', async () => {
    const text = capture();
    expect(await demo(text, ['--help-config'], { DEMO_PORT: 'nope' })).toEqual({ kind: 'exit', code: 0 });
    expect(text.out()).toContain('Environment variables of demo');
    expect(text.out()).toMatch(/DEMO_PORT +port +9999\n {4}port of the demo/);
    expect(text.out()).toMatch(/DEMO_URL +url \(redis:\) +redis:\/\/localhost:6380/);
    const json = capture();
    expect(await demo(json, ['--help-config', 'json'])).toEqual({ kind: 'exit', code: 0 });
    expect((JSON.parse(json.out()) as { variable: string; defaultValue: string }[]).map((d) => [d.variable, d.defaultValue])).toEqual([
      ['DEMO_PORT', '9999'],
      ['DEMO_URL', 'redis://localhost:6380'],
      ['LOG_LEVEL', 'info'],
    ]);
    const markdown = capture();
    await demo(markdown, ['--help-config=markdown']);
    expect(markdown.out()).toContain('| `LOG_LEVEL` | info\\|warn | `info` | log level |');
  });

  it('an unknown --help-config format is a usage error', async () => {
    const io = capture();
    const outcome = await demo(io, ['--help-config', 'yaml']);
    expect(outcome).toEqual({ kind: 'exit', code: 1 });
    expect(io.err()).toContain("argument 'yaml' is invalid");
  });

  it('a bad environment is one line naming each bad variable, exit 2', async () => {
    const io = capture();
    const outcome = await demo(io, [], { DEMO_PORT: '70000', DEMO_URL: 'http://x', LOG_LEVEL: 'loud' });
    expect(outcome).toEqual({ kind: 'exit', code: CONFIG_ERROR_EXIT_CODE });
    expect(io.out()).toBe('');
    const lines = io.err().split('\n').filter((l) => l !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^demo: invalid configuration: DEMO_PORT: expected an integer in \[1, 65535\], got 70000; DEMO_URL: expected a URL with scheme redis:; LOG_LEVEL: .*\(demo --help-config lists every variable\)$/);
  });

  it('starts with the typed config otherwise; unknown options and arguments are usage errors', async () => {
    expect(await demo(capture(), [], { DEMO_PORT: '1234' })).toEqual({ kind: 'start', config: { DEMO_PORT: 1234, DEMO_URL: 'redis://localhost:6380', LOG_LEVEL: 'info' } });
    const io = capture();
    expect(await demo(io, ['--bogus'])).toEqual({ kind: 'exit', code: 1 });
    expect(io.err()).toContain("unknown option '--bogus'");
    expect(await demo(capture(), ['extra'])).toEqual({ kind: 'exit', code: 1 });
  });
});

describe('addServiceCliOptions on a command with subcommands', () => {
  function program(io: CliIo, ran: string[]): Command {
    const root = new Command('tool');
    root
      .command('run')
      .requiredOption('--spec <file>', 'spec')
      .action(() => {
        ran.push('run');
      });
    root.command('status <id>').action((id: string) => {
      ran.push(`status ${id}`);
    });
    return addServiceCliOptions(root, { name: 'tool', buildInfo: { packageName: 't', version: '0.0.1' }, configSchema: schema, io });
  }

  it('every subcommand answers --help, --version and --help-config without running its action', async () => {
    for (const args of [['run', '--help'], ['run', '--version'], ['run', '--help-config'], ['status', '--help-config', 'json'], ['--version'], ['--help-config']]) {
      const io = capture();
      const ran: string[] = [];
      expect(await parseServiceCli(program(io, ran), argv(...args))).toEqual({ kind: 'exit', code: 0 });
      expect(ran).toEqual([]);
      expect(io.out()).not.toBe('');
    }
    const io = capture();
    await parseServiceCli(program(io, []), argv('status', '--version'));
    expect(io.out()).toBe('tool 0.0.1\n');
  });

  it('runs actions otherwise and reports usage errors by exit code', async () => {
    const ran: string[] = [];
    expect(await parseServiceCli(program(capture(), ran), argv('status', '7'))).toEqual({ kind: 'ran' });
    expect(ran).toEqual(['status 7']);
    const io = capture();
    expect(await parseServiceCli(program(io, ran), argv('run'))).toEqual({ kind: 'exit', code: 1 });
    expect(io.err()).toContain("required option '--spec <file>' not specified");
  });

  it('errors thrown by an action propagate', async () => {
    const root = addServiceCliOptions(
      new Command('tool').action(() => {
        throw new Error('boom');
      }),
      { name: 'tool', buildInfo: { packageName: 't', version: '0.0.1' }, configSchema: schema, io: capture() },
    );
    await expect(parseServiceCli(root, argv())).rejects.toThrow('boom');
  });
});
