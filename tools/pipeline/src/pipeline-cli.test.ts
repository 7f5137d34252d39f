// `npm run pipeline -- --help` (tools/scripts/pipeline.sh): help without installing or starting anything.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, describe, expect, it } from 'vitest';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const sandbox = mkdtempSync(join(tmpdir(), 'metarec-pipeline-help-'));
const marker = join(sandbox, 'something-ran');
const servicesDir = join(sandbox, 'services');

// Every program the setup would run first (npm ci, the JVM of Kafka, Redis, PostgreSQL, the
// TensorFlow fetch) is shadowed by a stub that leaves a marker and fails.
mkdirStubs(['npm', 'java', 'redis-server', 'pg_ctl', 'initdb', 'postgres', 'curl', 'pip', 'python3']);

function mkdirStubs(names: readonly string[]): void {
  rmSync(join(sandbox, 'bin'), { recursive: true, force: true });
  spawnSync('mkdir', ['-p', join(sandbox, 'bin')]);
  for (const name of names) {
    const file = join(sandbox, 'bin', name);
    writeFileSync(file, `#!/usr/bin/env bash\necho "${name} $*" >> "${marker}"\nexit 1\n`);
    chmodSync(file, 0o755);
  }
}

function pipeline(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync('bash', ['tools/scripts/pipeline.sh', ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, PATH: `${join(sandbox, 'bin')}:${process.env['PATH'] ?? ''}`, METAREC_DATA_DIR: servicesDir },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

afterAll(() => rmSync(sandbox, { recursive: true, force: true }));

describe('npm run pipeline -- --help', () => {
  it('prints the options, the real-data ones included, and starts nothing', () => {
    const run = pipeline('--help');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    for (const option of ['--dataset <kind>', '--data-dir <dir>', '--ratings <file>', '--keep-running', '--schema-only', '--train-steps <n>']) {
      expect(run.stdout).toContain(option);
    }
    expect(existsSync(marker)).toBe(false);
    expect(existsSync(servicesDir)).toBe(false);
  });

  it('refuses --dataset movielens without --data-dir in one line, exit code 2, before connecting anywhere', () => {
    const run = spawnSync('node', ['--conditions=@metarec/source', '--import', 'tsx', 'tools/pipeline/src/main.ts', '--dataset', 'movielens'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      timeout: 60_000,
      // Nothing listens here: had the pipeline tried Kafka, it would fail differently (and slowly).
      env: { ...process.env, KAFKA_BROKERS: '127.0.0.1:9' },
    });
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual(['metarec-pipeline: --dataset movielens needs --data-dir <dir> (ML-100K: u.data, u.item, u.user; ML-1M: ratings.dat, movies.dat, users.dat)']);
  });

  it('answers --version the same way', () => {
    const run = pipeline('--version');
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    expect(existsSync(marker)).toBe(false);
  });
});
