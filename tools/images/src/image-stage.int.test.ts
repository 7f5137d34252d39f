// Every app image's runtime stage reproduced on the host (no Docker engine here), then started and
// health-checked as the image would be. For each Dockerfile in APP_IMAGES:
//   1. the build stage's last RUN (`npx nx run <app>:prune`) runs in this repository, which the stage's
//      `npm ci` corresponds to (the build stage's COPY . . is the repository itself), for all apps in
//      one `nx run-many` (each Dockerfile's RUN checked to be exactly that app's prune command);
//   2. the CPU images' `tensorflow` stage runs on the host (registry route, cache of
//      `npm run setup:tensorflow`), as in tensorflow-stage.int.test.ts;
//   3. a temp dir stands for the runtime's WORKDIR: exactly the runtime stage's COPY --from=build and
//      --from=tensorflow, then its RUNs `test -n VERSION…`, `npm ci --omit=dev …` (production
//      dependencies of the pruned lockfile only) and the tensorflow check;
//   4. the app starts with the stage's ENTRYPOINT + CMD and ENV (services pointed at private or
//      uniquely named ones), and the stage's own HEALTHCHECK command must pass.
// The GPU image's tfjs-node-gpu copy and check are not reproduced (a 546 MiB CUDA wheel, no GPU);
// its app starts on the wasm backend. A runtime stage that forgets its dist/ copy fails to start.
// `node main.js --help` of each built app must exit 0 without connecting anywhere, and `--version`
// must name the build args' version and commit.

import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { arch, homedir, platform, tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { createTestDatabase, type TestDatabase } from '@metarec/registry/testing';
import { freePort } from '@metarec/runtime/testing';
import { RunStore } from '@metarec/training';
import { type LocalRedis, localRedisForIntegrationTests, startLocalRedis } from '@metarec/training/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type AppImage, APP_IMAGES, pruneCommand } from './app-images.js';
import { type Dockerfile, execForm, healthcheckOf, lastInstruction, stageEnv, stageNamed } from './dockerfile.js';
import { type HostStage, reproduceRuntimeStage, reproduceStage, runCommand } from './host-stage.js';
import { isCheckRun, isToolchainInstall, readDockerfile, REPO_ROOT, TENSORFLOW_STAGE } from './tensorflow-images.js';

const run = promisify(execFile);

const BUILD_ARGS = { VERSION: '0.1.0', GIT_COMMIT: 'imagestagetest', TFJS_NODE_SOURCE: 'registry' } as const;
const KAFKA_BROKERS = process.env['KAFKA_BROKERS'] ?? 'localhost:9092';
const DATABASE_URL = process.env['DATABASE_URL'] ?? 'postgres://metarec:metarec@localhost:55432/metarec';
/** Addresses where nothing listens: `--help` must not need them. */
const NOWHERE = { KAFKA_BROKERS: '127.0.0.1:9', REDIS_URL: 'redis://127.0.0.1:9', DATABASE_URL: 'postgres://x:y@127.0.0.1:9/none', REGISTRY_URL: 'http://127.0.0.1:9' };

const hasRedis = localRedisForIntegrationTests();
const tensorflowSkip = platform() !== 'linux' || arch() !== 'x64' ? `tfjs-node is Linux x86_64 only, this is ${platform()}/${arch()}` : undefined;
if (tensorflowSkip !== undefined && process.env['CI'] === 'true') {
  throw new Error(`CI=true: the image-stage test never skips, but ${tensorflowSkip}`);
}

/** A runtime stage laid out on the host. */
interface HostImage {
  readonly image: AppImage;
  readonly file: Dockerfile;
  readonly dir: string;
  /** The runtime stage's ENV (ARGs expanded). */
  readonly env: Readonly<Record<string, string>>;
}

/** A started app: its process and what it printed so far. */
interface Started {
  readonly child: ChildProcess;
  readonly output: () => string;
  stop(): Promise<void>;
}

function runtimeOf(file: Dockerfile) {
  const stage = file.stages.at(-1);
  if (stage === undefined) {
    throw new Error('no stage');
  }
  return stage;
}

/** ENTRYPOINT + CMD of the runtime stage, as `docker run <image>` runs them. */
function commandOf(file: Dockerfile): string[] {
  const stage = runtimeOf(file);
  const entrypoint = lastInstruction(stage, 'ENTRYPOINT');
  const cmd = lastInstruction(stage, 'CMD');
  return [...(entrypoint === undefined ? [] : execForm(entrypoint)), ...(cmd === undefined ? [] : execForm(cmd))];
}

/** A clean environment: the image's ENV and the test's settings, not this process's (vitest's NODE_OPTIONS…). */
function processEnv(host: HostImage, settings: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  return { PATH: process.env['PATH'], HOME: host.dir, ...host.env, LOG_LEVEL: 'warn', ...settings };
}

/** Starts the image as `docker run <image> [cmd…]` does: ENTRYPOINT + CMD, or ENTRYPOINT + `cmd` when given. */
function start(host: HostImage, settings: Readonly<Record<string, string>>, cmd?: readonly string[]): Started {
  const entrypoint = lastInstruction(runtimeOf(host.file), 'ENTRYPOINT');
  const [command, ...args] = cmd === undefined ? commandOf(host.file) : [...(entrypoint === undefined ? [] : execForm(entrypoint)), ...cmd];
  const child = spawn(command, args, { cwd: host.dir, env: processEnv(host, settings), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return {
    child,
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) {
        return;
      }
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 25_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Runs the stage's HEALTHCHECK command once in the image's dir and env. */
async function healthcheck(host: HostImage, settings: Readonly<Record<string, string>>): Promise<{ ok: boolean; output: string }> {
  const check = healthcheckOf(runtimeOf(host.file));
  if (check === undefined) {
    throw new Error(`${host.image.dockerfile} has no HEALTHCHECK`);
  }
  const [command, ...args] = check.command;
  try {
    // Generous: the check's speed is Docker's timeout to judge; here the 2 cores are shared.
    const { stdout, stderr } = await run(command, args, { cwd: host.dir, env: processEnv(host, settings), timeout: 30_000 });
    return { ok: true, output: `${stdout}${stderr}` };
  } catch (e) {
    const failure = e as { stdout?: string; stderr?: string; message: string };
    return { ok: false, output: `${failure.stdout ?? ''}${failure.stderr ?? ''}` || failure.message };
  }
}

/** Polls the HEALTHCHECK until it passes; fails when the app exits or `timeoutMs` passes. */
async function waitHealthy(host: HostImage, app: Started, settings: Readonly<Record<string, string>>, timeoutMs = 90_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (app.child.exitCode !== null) {
      throw new Error(`${host.image.image} exited with ${app.child.exitCode} before its health check passed:\n${app.output().slice(-3000)}`);
    }
    const result = await healthcheck(host, settings);
    if (result.ok) {
      return result.output;
    }
    last = result.output;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`${host.image.image}: health check still failing after ${timeoutMs} ms (${last.trim()}):\n${app.output().slice(-3000)}`);
}

describe.skipIf(!hasRedis || tensorflowSkip !== undefined)('each app image\'s runtime stage, reproduced on the host', () => {
  let work: string;
  let redis: LocalRedis;
  let database: TestDatabase;
  const unique = `imgstage-${randomBytes(4).toString('hex')}`;
  let tensorflowStage: Promise<HostStage> | undefined;
  const hosts = new Map<string, HostImage>();

  /**
   * The build stages' last RUN (`nx run <app>:prune`, which the unit test pins for every Dockerfile)
   * for all apps in one Nx run: the libs they share are built once, and the layouts can then run side
   * by side without two tsc -b writing the same lib's dist/.
   */
  const pruneAll = async (): Promise<void> => {
    const projects = [...new Set(APP_IMAGES.map((image) => image.project))];
    let env: Record<string, string> | undefined;
    for (const image of APP_IMAGES) {
      const build = stageNamed(readDockerfile(image.dockerfile), 'build');
      const last = build.instructions.filter((i) => i.keyword === 'RUN').at(-1);
      expect(last?.args, image.dockerfile).toBe(pruneCommand(image));
      env = { ...env, ...Object.fromEntries(stageEnv(build)) };
    }
    await runCommand(`npx nx run-many -t prune -p ${projects.join(',')} --outputStyle=static`, REPO_ROOT, { ...process.env, ...env });
  };

  /** Lays out the runtime stage of `image` in a new temp dir. */
  const layOut = async (image: AppImage, skipCopy?: (source: string) => boolean): Promise<HostImage> => {
    const file = readDockerfile(image.dockerfile);
    const from = new Map<string, HostStage>([['build', { workdir: '/repo', dir: REPO_ROOT }]]);
    if (image.tensorflow === 'cpu') {
      tensorflowStage ??= reproduceStage(file, TENSORFLOW_STAGE, {
        context: REPO_ROOT,
        dir: path.join(work, 'tensorflow-stage'),
        buildArgs: BUILD_ARGS,
        hostProvides: isToolchainInstall,
      });
      from.set(TENSORFLOW_STAGE, await tensorflowStage);
    }
    const dir = await mkdtemp(path.join(work, `${image.image}-`));
    // The image's `npm cache clean --force` must not empty this machine's npm cache: npm gets a
    // private one, seeded with hard links to the host's (content-addressed files, never rewritten).
    const npmCache = await mkdtemp(path.join(work, 'npm-cache-'));
    if (existsSync(path.join(homedir(), '.npm', '_cacache'))) {
      await run('cp', ['-a', '--link', path.join(homedir(), '.npm', '_cacache'), npmCache]);
    }
    const runtime = await reproduceRuntimeStage(file, {
      context: REPO_ROOT,
      dir,
      from,
      env: { ...process.env, npm_config_cache: npmCache },
      buildArgs: BUILD_ARGS,
      ...(image.tensorflow === 'gpu' ? { skipStages: new Set([TENSORFLOW_STAGE]) } : {}),
      ...(skipCopy === undefined ? {} : { skipCopy }),
      // The image's own RUNs, except `npm install -g npm` (the host's npm) and mkdir/chown of
      // absolute paths (the test gives the app temp dirs instead).
      runs: (i) => /^npm ci\b/.test(i.args) || i.args.startsWith('test -n') || (isCheckRun(i) && image.tensorflow === 'cpu'),
    });
    return { image, file, dir, env: runtime.env };
  };

  /** Settings a deployment gives each app here: private Redis, unique Kafka names and DB schema, temp dirs, free ports. */
  const settingsOf = async (host: HostImage): Promise<Record<string, string>> => {
    const port = String(await freePort());
    const data = path.join(host.dir, '.test-data');
    await mkdir(data, { recursive: true });
    switch (host.image.image) {
      case 'ingest':
        return {
          INGEST_PORT: port,
          KAFKA_BROKERS,
          REDIS_URL: redis.url,
          CREATE_TOPICS: 'true',
          INGEST_GROUP_ID: unique,
          TOPIC_INTERACTIONS: `${unique}.interactions`,
          TOPIC_USER_PROFILES: `${unique}.user-profiles`,
          TOPIC_ITEM_PROFILES: `${unique}.item-profiles`,
          TOPIC_DEAD_LETTER: `${unique}.dead-letter`,
          TOPIC_PARTITIONS: '1',
          OFFLINE_STORE_DIR: data,
          ONLINE_KEY_PREFIX: `${unique}:`,
        };
      case 'registry':
        return { REGISTRY_PORT: port, DATABASE_URL: database.url, REGISTRY_ARTIFACT_DIR: data };
      case 'serving':
      case 'serving-gpu':
        return {
          SERVING_PORT: port,
          KAFKA_BROKERS,
          REDIS_URL: redis.url,
          REGISTRY_URL: NOWHERE.REGISTRY_URL,
          TOPIC_INTERACTIONS: `${unique}.interactions`,
          BUNDLE_CACHE_DIR: data,
          ONLINE_KEY_PREFIX: `${unique}:`,
          // No tfjs-node-gpu here (not reproduced): the GPU image's app runs on wasm in this test.
          ...(host.image.tensorflow === 'gpu' ? { METAREC_BACKEND: 'wasm' } : {}),
        };
      case 'trainer':
        return { TRAINER_PORT: port, REDIS_URL: redis.url };
      default:
        throw new Error(`no settings for ${host.image.image}`);
    }
  };

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'metarec-image-stage-'));
    redis = await startLocalRedis();
    database = await createTestDatabase(DATABASE_URL);
    const pruneStarted = Date.now();
    await pruneAll();
    // The figures for the record: where this test's time goes.
    console.log(`nx prune of ${APP_IMAGES.length} images' apps: ${((Date.now() - pruneStarted) / 1000).toFixed(1)} s`);
    // Two layouts at a time (npm ci waits on the disk as much as on the 2 cores).
    const queue = [...APP_IMAGES];
    const worker = async (): Promise<void> => {
      for (let image = queue.shift(); image !== undefined; image = queue.shift()) {
        const started = Date.now();
        hosts.set(image.image, await layOut(image));
        console.log(`${image.image}: runtime stage laid out in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      }
    };
    await Promise.all([worker(), worker()]);
  }, 900_000);

  afterAll(async () => {
    await redis?.stop();
    await database?.drop();
    if (work !== undefined) {
      await rm(work, { recursive: true, force: true });
    }
  });

  for (const image of APP_IMAGES) {
    it(`${image.image}: starts from the production-only install with the image's command and passes its HEALTHCHECK`, async () => {
      const host = hosts.get(image.image) as HostImage;
      const settings = await settingsOf(host);
      const app = start(host, settings);
      try {
        const said = await waitHealthy(host, app, settings);
        if (image.image === 'trainer') {
          expect(said).toContain(`healthy: GET http://127.0.0.1:${settings['TRAINER_PORT']}/healthz: 200`);
        }
      } finally {
        await app.stop();
      }
      // The HEALTHCHECK is not vacuous: with the app stopped it fails.
      expect((await healthcheck(host, settings)).ok).toBe(false);
    });
  }

  it('trainer, coordinator role (`run`, no HTTP server): the HEALTHCHECK follows the run\'s status heartbeat in Redis', async () => {
    const host = hosts.get('trainer') as HostImage;
    const runId = `${unique}-run`;
    const settings = { REDIS_URL: redis.url, TRAINER_RUN_ID: runId, TRAINER_HEARTBEAT_MAX_AGE_MS: '60000' };
    const none = await healthcheck(host, settings);
    expect(none).toEqual({ ok: false, output: 'unhealthy: no status for the run yet (or it expired)\n' });
    const client = new Redis(redis.url);
    try {
      const store = new RunStore({ redis: client });
      const running = { status: 'running', runId, step: 4, totalSteps: 10, epoch: 0, loss: 0.7, validationLoss: null, etaSec: 30, startedAtMs: Date.now() - 5_000 };
      await store.putStatus(runId, { ...running, updatedAtMs: Date.now() });
      expect(await healthcheck(host, settings)).toEqual({ ok: true, output: expect.stringMatching(/^healthy: step 4\/10, status \d+ ms old\n$/) as unknown });
      await store.putStatus(runId, { ...running, updatedAtMs: Date.now() - 120_000 });
      expect((await healthcheck(host, settings)).output).toMatch(/^unhealthy: status not updated for \d+ ms \(> 60000 ms\) at step 4/);
    } finally {
      await client.quit();
    }
  });

  it('trainer, dashboard role (`dashboard`, HEALTHCHECK_ROLE=dashboard): the HEALTHCHECK passes and bull-board\'s UI is in the production install', async () => {
    const host = hosts.get('trainer') as HostImage;
    const token = randomBytes(16).toString('hex');
    const settings = { DASHBOARD_PORT: String(await freePort()), DASHBOARD_TOKEN: token, HEALTHCHECK_ROLE: 'dashboard', REDIS_URL: redis.url };
    const app = start(host, settings, ['dashboard']);
    try {
      expect(await waitHealthy(host, app, settings)).toContain(`healthy: GET http://127.0.0.1:${settings.DASHBOARD_PORT}/healthz: 200`);
      // The board's page and its static bundle come from @bull-board/ui's files: missing files would 404/500.
      const base = `http://127.0.0.1:${settings.DASHBOARD_PORT}`;
      const auth = { authorization: `Bearer ${token}` };
      const page = await fetch(`${base}/board`, { headers: auth });
      expect(page.status, app.output().slice(-2000)).toBe(200);
      const html = await page.text();
      const script = /<script[^>]+src="([^"]+\.js)"/.exec(html)?.[1];
      expect(script, html.slice(0, 2000)).toBeDefined();
      expect((await fetch(new URL(script ?? '', `${base}/board/`), { headers: auth })).status).toBe(200);
      expect((await fetch(`${base}/board`)).status).toBe(401);
    } finally {
      await app.stop();
    }
    expect((await healthcheck(host, settings)).ok).toBe(false);
  });

  it('a runtime stage that forgets the app\'s dist/ copy fails: the app does not start', async () => {
    const image = APP_IMAGES.find((i) => i.image === 'ingest') as AppImage;
    const host = await layOut(image, (source) => source === `/repo/${image.appDir}/dist`);
    const settings = await settingsOf(host);
    const app = start(host, settings);
    try {
      await expect(waitHealthy(host, app, settings, 30_000)).rejects.toThrow(/exited with 1[\s\S]*Cannot find module '.*\/main\.js'/);
    } finally {
      await app.stop();
    }
  });

  for (const image of APP_IMAGES.filter((i) => i.image !== 'serving-gpu')) {
    it(`${image.image}: node main.js --help and --version from the production-only install exit 0 without connecting; --version names the build args`, async () => {
      const host = hosts.get(image.image) as HostImage;
      const { stdout } = await run('node', ['main.js', '--help'], { cwd: host.dir, env: processEnv(host, NOWHERE), timeout: 15_000 });
      expect(stdout).toMatch(/usage/i);
      // The stage's ENV carries GIT_COMMIT from the build arg; the version is the pruned package.json's.
      const version = await run('node', ['main.js', '--version'], { cwd: host.dir, env: processEnv(host, NOWHERE), timeout: 15_000 });
      expect(version.stdout).toContain(BUILD_ARGS.VERSION);
      expect(version.stdout).toContain(BUILD_ARGS.GIT_COMMIT);
      console.log(`${image.image} --version: ${version.stdout.trim()}; --help: ${stdout.split('\n')[0]}`);
    });
  }
});
