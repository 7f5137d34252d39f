// Starting and waiting on the apps of the whole pipeline: registry, ingest, trainer, serving.
import { readFile } from 'node:fs/promises';

import type { BackendName } from '@metarec/meta-learning';
import type { TopicAdmin } from '@metarec/streaming';

import { freePort, startApp, waitFor200, type AppProcess } from './app-process.js';
import type { WorldTopics } from './produce-world.js';

/** Settings every app of a run shares. */
export interface StackSettings {
  readonly runId: string;
  readonly workDir: string;
  readonly brokers: readonly string[];
  /** Online store Redis (ingest writes, serving reads). */
  readonly redisUrl: string;
  /** BullMQ / training Redis (noeviction). */
  readonly trainingRedisUrl: string;
  readonly databaseUrl: string;
  readonly topics: WorldTopics;
  readonly keyPrefix: string;
  readonly token: string;
  readonly logLevel: string;
  /** tfjs backend of the trainer and serving apps (their METAREC_BACKEND). @defaultValue unset: each picks the best available */
  readonly backend?: BackendName;
}

/** The apps' METAREC_BACKEND when the run pins one (else inherited, or their best available). */
function backendEnv(s: StackSettings): Record<string, string> {
  return s.backend === undefined ? {} : { METAREC_BACKEND: s.backend };
}

/** Starts the registry on a private PostgreSQL schema; resolves once /readyz is 200. */
export async function startRegistry(s: StackSettings): Promise<{ app: AppProcess; url: string; schema: string }> {
  const port = await freePort();
  const schema = `pipeline_${s.runId.replaceAll('-', '_')}`;
  const app = startApp('registry', 'registry', [], {
    DATABASE_URL: s.databaseUrl,
    REGISTRY_DB_SCHEMA: schema,
    REGISTRY_NOTIFY_CHANNEL: schema,
    REGISTRY_HOST: '127.0.0.1',
    REGISTRY_PORT: String(port),
    REGISTRY_ARTIFACT_DIR: `${s.workDir}/registry-artifacts`,
    REGISTRY_TOKENS: `pipeline:${s.token}`,
    // The trainer's held-out evaluation (libs/training registerRun): gate on cold-user MAE.
    REGISTRY_GATE_SCENARIO: 'held-out-users',
    REGISTRY_GATE_METRIC: 'mae',
    REGISTRY_GATE_BETTER: 'lower',
    LOG_LEVEL: s.logLevel,
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor200(app, `${url}/readyz`, 90_000);
  return { app, url, schema };
}

/** Starts ingest (its own consumer group) into the run's offline store and key prefix. */
export async function startIngest(s: StackSettings): Promise<{ app: AppProcess; groupId: string; offlineDir: string }> {
  const port = await freePort();
  const groupId = `pipeline-ingest-${s.runId}`;
  const offlineDir = `${s.workDir}/offline-store`;
  const app = startApp('ingest', 'ingest', [], {
    KAFKA_BROKERS: s.brokers.join(','),
    REDIS_URL: s.redisUrl,
    INGEST_GROUP_ID: groupId,
    TOPIC_INTERACTIONS: s.topics.interactions,
    TOPIC_USER_PROFILES: s.topics.userProfiles,
    TOPIC_ITEM_PROFILES: s.topics.itemProfiles,
    TOPIC_DEAD_LETTER: `${s.topics.interactions}.dead-letter`,
    TOPIC_PARTITIONS: '3',
    OFFLINE_STORE_DIR: offlineDir,
    ONLINE_KEY_PREFIX: s.keyPrefix,
    FLUSH_AGE_MS: '1000',
    INGEST_HOST: '127.0.0.1',
    INGEST_PORT: String(port),
    LOG_LEVEL: s.logLevel,
  });
  await waitFor200(app, `http://127.0.0.1:${port}/readyz`, 90_000);
  return { app, groupId, offlineDir };
}

/** Resolves once `groupId` has committed every topic up to its end offsets (everything ingested and flushed). */
export async function waitIngested(admin: TopicAdmin, groupId: string, topics: readonly string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let done = true;
    for (const topic of topics) {
      const [end, committed] = await Promise.all([admin.endOffsets(topic), admin.committedOffsets(groupId, topic)]);
      for (const [partition, offset] of end) {
        if (offset > 0n && (committed.get(partition) ?? -1n) < offset) {
          done = false;
        }
      }
    }
    if (done) {
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(`ingest did not commit ${topics.join(', ')} within ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** What ingest's co-occurrence rebuild job reports (its `co-occurrence rebuilt` log line). */
export interface CoOccurrenceReport {
  readonly interactions: number;
  /** Items with at least one follower (online `co:<item>` keys written). */
  readonly items: number;
  /** Item pairs written (after the per-item cap). */
  readonly pairs: number;
  /** Stale keys removed. */
  readonly removed: number;
  /** Wall time of the rebuild inside the job, ms. */
  readonly ms: number;
}

/**
 * Runs ingest's co-occurrence rebuild job (`apps/ingest/src/co-occurrence.ts`, a CronJob in
 * production) once over the run's offline store, so serving's co-occurrence candidates exist
 * (ingest's per-event counting is off by default). Resolves with the job's report.
 */
export async function runCoOccurrenceJob(s: StackSettings, offlineDir: string): Promise<CoOccurrenceReport> {
  const app = startApp(
    'ingest-co-occurrence',
    'ingest',
    [],
    { OFFLINE_STORE_DIR: offlineDir, REDIS_URL: s.redisUrl, ONLINE_KEY_PREFIX: s.keyPrefix, LOG_LEVEL: 'info' },
    'co-occurrence.ts',
  );
  const code = await app.exited;
  const report = app
    .stdout()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Partial<CoOccurrenceReport> & { msg?: string })
    .find((l) => l.msg === 'co-occurrence rebuilt');
  if (code !== 0 || report === undefined) {
    throw new Error(`co-occurrence job exited with ${code}:\n${app.output().slice(-4000)}`);
  }
  return { interactions: report.interactions ?? 0, items: report.items ?? 0, pairs: report.pairs ?? 0, removed: report.removed ?? 0, ms: report.ms ?? 0 };
}

/** Starts `count` trainer workers on the training Redis. */
export async function startTrainerWorkers(s: StackSettings, count: number): Promise<AppProcess[]> {
  const workers: AppProcess[] = [];
  for (let k = 1; k <= count; k++) {
    const port = await freePort();
    const app = startApp(`trainer-worker-${k}`, 'trainer', ['worker', '--concurrency', '1', '--name', `pipeline-w${k}`], {
      REDIS_URL: s.trainingRedisUrl,
      TRAINER_HOST: '127.0.0.1',
      TRAINER_PORT: String(port),
      ...backendEnv(s),
      LOG_LEVEL: s.logLevel,
    });
    await waitFor200(app, `http://127.0.0.1:${port}/healthz`, 90_000);
    workers.push(app);
  }
  return workers;
}

/** The held-out list metrics as the trainer prints them (`null`: undefined; absent: a trainer before them). */
export interface PrintedListMetrics {
  readonly ndcg10?: number | null;
  readonly recall10?: number | null;
  readonly auc?: number | null;
}

/** What `trainer run` prints on stdout when it finishes. */
export interface TrainerRunSummary {
  readonly runId: string;
  readonly steps: number;
  readonly modelDir: string;
  readonly lineagePath: string;
  readonly evaluation: {
    readonly users: number;
    /** How the list metrics were measured (absent from trainers before them). */
    readonly list?: { readonly cutoff: number; readonly positiveThreshold: number; readonly negativeCount: number; readonly usersWithoutPositives: number };
    readonly model: { readonly mae: number; readonly rmse: number } & PrintedListMetrics;
    /** With a list head: the network's own list order (`model`'s lists are the head's, as served). */
    readonly network?: PrintedListMetrics;
    /** JSON: `null` where a figure is undefined (popularity's MAE/RMSE: it predicts no rating). */
    readonly baselines: Readonly<Record<string, { readonly mae: number | null; readonly rmse: number | null } & PrintedListMetrics>>;
  } | null;
  readonly registered: { readonly version: number } | null;
  /** From the run's lineage: the meta-step whose (best-validated) parameters were saved, and whether patience stopped the run. */
  readonly bestStep: number;
  readonly stoppedEarly: boolean;
}

/** Runs the coordinator (`trainer run --register`) to completion and parses its summary line. */
export async function runCoordinator(s: StackSettings, specPath: string, registryUrl: string, model: string): Promise<TrainerRunSummary> {
  const app = startApp('trainer-coordinator', 'trainer', ['run', '--spec', specPath, '--no-progress', '--register', registryUrl, '--model', model], {
    REDIS_URL: s.trainingRedisUrl,
    REGISTRY_TOKEN: s.token,
    ...backendEnv(s),
    LOG_LEVEL: s.logLevel,
  });
  const code = await app.exited;
  const line = app
    .stdout()
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('{') && l.includes('"runId"') && l.includes('"modelDir"'));
  if (code !== 0 || line === undefined) {
    throw new Error(`trainer run exited with ${code}:\n${app.output().slice(-4000)}`);
  }
  const printed = JSON.parse(line) as Omit<TrainerRunSummary, 'bestStep' | 'stoppedEarly'>;
  const lineage = JSON.parse(await readFile(printed.lineagePath, 'utf8')) as { bestStep?: unknown; stoppedEarly?: unknown };
  return {
    ...printed,
    bestStep: typeof lineage.bestStep === 'number' ? lineage.bestStep : printed.steps,
    stoppedEarly: lineage.stoppedEarly === true,
  };
}

/**
 * Starts serving on the registry's `production` alias; resolves once a model is loaded. No
 * ADAPT_* settings: serving adapts with the inner steps and lr the bundle was meta-trained with.
 */
export async function startServing(s: StackSettings, registryUrl: string, model: string): Promise<{ app: AppProcess; url: string }> {
  const port = await freePort();
  const app = startApp('serving', 'serving', [], {
    SERVING_HOST: '127.0.0.1',
    SERVING_PORT: String(port),
    REDIS_URL: s.redisUrl,
    ONLINE_KEY_PREFIX: s.keyPrefix,
    KAFKA_BROKERS: s.brokers.join(','),
    TOPIC_INTERACTIONS: s.topics.interactions,
    REGISTRY_URL: registryUrl,
    MODEL_NAME: model,
    BUNDLE_CACHE_DIR: `${s.workDir}/serving-bundles`,
    MAX_K: '500',
    // Feedback is authenticated: the newcomer posts with the session token its onboarding answer carries.
    FEEDBACK_SIGNING_KEY: `pipeline-feedback-${s.token}`,
    ...backendEnv(s),
    SHUTDOWN_READINESS_GRACE_MS: '0',
    LOG_LEVEL: s.logLevel,
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor200(app, `${url}/readyz`, 120_000);
  return { app, url };
}
