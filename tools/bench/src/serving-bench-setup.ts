// Shared set-up of the serving benches: a MeLU-size synthetic world in the real online store
// (Redis), a model directory (and registry bundle files), and the serving app as a real process.
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { OnlineStore, type OnlineBatch } from '@metarec/feature-store';
import type { Interaction } from '@metarec/schemas';
import { buildTestWorld, testListHead, writeBundleManifest, writeTestModelDir, type TestWorld } from '@metarec/serving/testing';
import { Redis } from 'ioredis';
import { freePort, spawnSourceProcess, waitForHttp200 } from '@metarec/runtime/testing';

import { REPO_ROOT } from './repo-root.js';

/** Re-exported for this harness's callers. */
export { freePort };


/**
 * MeLU size: 1000 users and 1000 items (id tables of 1001 × 32, attribute tables, categories and
 * numeric attributes), MLP [64, 64]; 20 ratings per user; 500 candidates; k = 20.
 */
export const SERVING_BENCH = { users: 1000, items: 1000, ratingsPerUser: 20, candidates: 500, k: 20, adaptSteps: 5 } as const;

/** Latest distinct items a new event pairs with when the bench world is written. */
const CO_OCCURRENCE_WINDOW = 5;

/** Warm-up users written beside the world (see {@link ServingBenchWorld.warmupUserIds}). */
const WARMUP_USERS = 100;

/** Everything a serving bench runs against. */
export interface ServingBenchWorld {
  readonly world: TestWorld;
  readonly dir: string;
  readonly redisUrl: string;
  readonly keyPrefix: string;
  /**
   * Users outside the model's vocabulary with a copy of a warm user's profile and ratings (ids
   * `bench-warmup-<n>`): a bench warms the adaptation path on them (JIT, kernels, caches) without
   * spending the measured users' first adaptation.
   */
  readonly warmupUserIds: readonly string[];
  /** Writes model version `version` (its own initial weights) with bundle files; returns its directory. */
  writeModel(version: number): Promise<string>;
  close(): Promise<void>;
}

/**
 * Weights of the bench bundles' list head per support-size bucket: every feature on, as a trained
 * head has them (the cost of ordering does not depend on the values, only on which parts run).
 */
const BENCH_LIST_HEAD_WEIGHTS = [[0, 1, 0.2, 0.2, 0.5], ...Array.from({ length: 6 }, () => [1, 0.5, 0.2, 0.2, 0.5])];

/** Builds the world and writes it into Redis under a fresh prefix, events inside the popularity window. `listHead`: bundles carry one (as trained bundles do). */
export async function setUpServingWorld(options: { listHead?: boolean } = {}): Promise<ServingBenchWorld> {
  const withListHead = options.listHead ?? true;
  const redisUrl = process.env['REDIS_URL'] ?? 'redis://localhost:6380';
  const keyPrefix = `serving-bench-${process.pid}:`;
  const world = buildTestWorld({ seed: 11, users: SERVING_BENCH.users, items: SERVING_BENCH.items, interactionsPerUser: { min: SERVING_BENCH.ratingsPerUser, max: SERVING_BENCH.ratingsPerUser } });
  const dir = await mkdtemp(path.join(tmpdir(), 'serving-bench-'));
  const redis = new Redis(redisUrl);
  const now = Date.now();
  const times = world.interactions.map((e) => e.timestamp_ms);
  const [first, last] = [Math.min(...times), Math.max(...times)];
  const shift = (e: Interaction): Interaction => ({ ...e, timestamp_ms: Math.round(now - 3_600_000 + ((e.timestamp_ms - first) / Math.max(1, last - first)) * 3_500_000) });
  const warmupUserIds = world.warmUserIds.slice(0, WARMUP_USERS).map((_, i) => `bench-warmup-${i}`);
  const warmupOf = new Map(world.warmUserIds.slice(0, WARMUP_USERS).map((id, i) => [id, warmupUserIds[i]]));
  const copies = world.interactions.flatMap((e) => {
    const copy = warmupOf.get(e.user_id);
    return copy === undefined ? [] : [{ ...e, user_id: copy }];
  });
  const profileCopies = world.dataset.users.flatMap((u) => {
    const copy = warmupOf.get(u.user_id);
    return copy === undefined ? [] : [{ ...u, user_id: copy }];
  });
  const events = [...world.interactions, ...copies].sort((a, b) => a.timestamp_ms - b.timestamp_ms).map(shift);
  const batches: OnlineBatch[] = [
    { kind: 'user_profiles', topic: 'bench-users', partition: 0, entries: [...world.dataset.users, ...profileCopies].map((record, i) => ({ offset: BigInt(i), record })) },
    { kind: 'item_profiles', topic: 'bench-items', partition: 0, entries: world.dataset.items.map((record, i) => ({ offset: BigInt(i), record })) },
    { kind: 'interactions', topic: 'bench-events', partition: 0, entries: events.map((record, i) => ({ offset: BigInt(i), record })) },
  ];
  // Co-occurrence counted per event (window 5, what the rebuild job computes from the offline store
  // in production), so candidates include items co-occurring with each user's latest ones.
  await new OnlineStore({ redis, keyPrefix, coOccurrenceWindow: CO_OCCURRENCE_WINDOW }).apply(batches);
  return {
    world,
    dir,
    redisUrl,
    keyPrefix,
    warmupUserIds,
    async writeModel(version: number): Promise<string> {
      const modelDir = path.join(dir, `model-v${version}`);
      await writeTestModelDir(modelDir, world, { initSeed: version }, undefined, withListHead ? testListHead(world, { warmWeights: BENCH_LIST_HEAD_WEIGHTS }) : undefined);
      await writeBundleManifest(modelDir, `bench-${version}`);
      return modelDir;
    },
    async close(): Promise<void> {
      const keys = await redis.keys(`${keyPrefix}*`);
      for (let i = 0; i < keys.length; i += 1000) {
        await redis.del(...keys.slice(i, i + 1000));
      }
      await redis.quit();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A running serving process. */
export interface BenchServing {
  readonly url: string;
  readonly child: ChildProcess;
  logs(): string;
  stop(): Promise<number | null>;
}

/** Node flags the serving image and manifests set (docker/Dockerfile.serving `NODE_OPTIONS`): the bench serves as deployed. */
export const DEPLOYED_SERVING_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=32'];

/**
 * Starts apps/serving (wasm backend unless `env` sets METAREC_BACKEND) with `env` over the bench world; resolves once /readyz is 200.
 * The process gets {@link DEPLOYED_SERVING_NODE_FLAGS}; `SERVING_CPUS` pins it with taskset.
 * `SERVING_NODE_FLAGS` (space-separated) adds node flags to the serving process only, e.g.
 * `SERVING_NODE_FLAGS="--cpu-prof --cpu-prof-dir=/tmp/prof"` (not allowed in NODE_OPTIONS) or `--trace-gc`.
 */
export async function startServing(world: ServingBenchWorld, env: Readonly<Record<string, string>>): Promise<BenchServing> {
  const port = await freePort();
  const nodeFlags = [...DEPLOYED_SERVING_NODE_FLAGS, ...(process.env['SERVING_NODE_FLAGS'] ?? '').split(' ').filter((flag) => flag !== '')];
  // SERVING_CPUS (e.g. "1"): the server runs pinned to those CPUs (taskset), as a one-core pod would.
  const cpus = process.env['SERVING_CPUS'];
  const proc = spawnSourceProcess('apps/serving/src/main.ts', [], {
    cwd: REPO_ROOT,
    nodeFlags,
    ...(process.env['SERVING_FROM'] === 'built' ? { builtScript: 'apps/serving/dist/main.js' } : {}),
    ...(cpus === undefined || cpus === '' ? {} : { wrapper: ['taskset', '-c', cpus] }),
    env: {
      SERVING_HOST: '127.0.0.1',
      SERVING_PORT: String(port),
      REDIS_URL: world.redisUrl,
      ONLINE_KEY_PREFIX: world.keyPrefix,
      CANDIDATES: String(SERVING_BENCH.candidates),
      ADAPT_STEPS: String(SERVING_BENCH.adaptSteps),
      METAREC_BACKEND: 'wasm',
      SHUTDOWN_READINESS_GRACE_MS: '0',
      LOG_LEVEL: 'warn',
      ...env,
    },
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp200(proc, `${url}/readyz`, 120_000, 'serving');
  return { url, child: proc.child, logs: proc.output, stop: () => proc.stop(30_000) };
}
