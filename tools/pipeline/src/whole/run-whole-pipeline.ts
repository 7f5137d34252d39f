// The README's main job: a world (synthetic, MovieLens or a ratings file) → Kafka in event-time
// order → ingest (offline + online stores) → distributed meta-training (coordinator + 2 workers)
// with baselines → registry (register, gate, promote) → serving → an existing user, a brand-new
// user (onboarding, feedback, adapted answer), a new item → the HTML run report.
import { randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { selectBackend, type BackendName } from '@metarec/meta-learning';
import { RegistryClient } from '@metarec/registry';
import type { KafkaJsClient } from '@metarec/streaming';

import type { AppProcess } from './app-process.js';
import { bestRatingBaseline } from './best-rating-baseline.js';
import { pipelineRunSpec } from './pipeline-training.js';
import { heldOutCheck, type HeldOutCheck } from './held-out-check.js';
import { writeRunReport } from '../report/collect-run-report.js';
import { loadWorld } from '../world/load-world.js';
import type { WorldSource } from '../world/world-source.js';
import { produceWorld, publishNewItem, REPLAY_WINDOW_MS, type WorldTopics } from './produce-world.js';
import { latencySample, newUserJourney, recommend, type NewUserJourney, type RecsResponse } from './serving-probe.js';
import { runCoOccurrenceJob, runCoordinator, startIngest, startRegistry, startServing, startTrainerWorkers, waitIngested, type CoOccurrenceReport, type StackSettings, type TrainerRunSummary } from './stack.js';

export { PIPELINE_TRAINING } from './pipeline-training.js';

/** A new item reaches serving's candidates within ingest lag + the shared popularity list's TTL (2 s). */
const NEW_ITEM_VISIBLE_WITHIN_MS = 10_000;


/** Options of {@link runWholePipeline}. */
export interface WholePipelineOptions {
  readonly streaming: KafkaJsClient;
  readonly brokers: readonly string[];
  readonly redisUrl: string;
  /** Redis for BullMQ (noeviction; a private one keeps other runs' queues apart). */
  readonly trainingRedisUrl: string;
  readonly databaseUrl: string;
  readonly workDir: string;
  /** The data: the synthetic world, a MovieLens directory or a ratings file. */
  readonly world: WorldSource;
  /** Meta-steps of the training run. */
  readonly trainSteps: number;
  /** Requests of the serving latency sample. */
  readonly latencyRequests: number;
  /** Leave registry, ingest and serving running (the caller stops them). @defaultValue false */
  readonly keepRunning?: boolean;
  readonly log: (line: string) => void;
  readonly logLevel?: string;
  /** tfjs backend of the apps and the held-out check. @defaultValue the best available (tensorflow → wasm → cpu) */
  readonly backend?: BackendName;
}

/** What the run did, for the summary. */
export interface WholePipelineSummary {
  readonly runId: string;
  /** The tfjs backend of the held-out check, as `selectBackend` reported it (the apps pick the same unless pinned). */
  readonly backend: string;
  readonly data: {
    /** What the data is (`synthetic`, `movielens ml-100k`, `file ratings.csv`). */
    readonly name: string;
    readonly users: number;
    readonly items: number;
    readonly events: number;
    readonly newUsers: number;
    readonly newItems: number;
    /** The data's own first and last event time, epoch ms (replayed into the last hours). */
    readonly span: { readonly firstMs: number; readonly lastMs: number };
    readonly producedBytes: number;
    readonly offlineStoreBytes: number;
  };
  readonly timingsMs: Readonly<Record<string, number>>;
  /** Ingest's co-occurrence rebuild job, run once after ingest. */
  readonly coOccurrence: CoOccurrenceReport;
  readonly training: TrainerRunSummary;
  /** The trainer's held-out MAE against the best of its baselines and the pipeline's bias baseline (same ratings). */
  readonly coldUserMae: { readonly model: number; readonly bestBaseline: { readonly name: string; readonly mae: number } } | null;
  /** The pipeline's recomputation on the trainer's held-out users: the prior without adaptation, every baseline. */
  readonly heldOut: HeldOutCheck;
  readonly promotion: { readonly version: number; readonly decision: string };
  readonly existingUser: { readonly userId: string; readonly response: RecsResponse };
  readonly newUser: NewUserJourney;
  /**
   * The item published after training, ranked for `userId` among `ranked` items (of
   * `candidateCount` candidates); `twin` is the catalogue item whose content it copies.
   */
  readonly newItem: {
    readonly itemId: string;
    readonly rank: number | null;
    readonly score: number | null;
    readonly userId: string;
    readonly ranked: number;
    readonly candidateCount: number;
    readonly twin: { readonly itemId: string; readonly rank: number | null; readonly score: number | null };
  };
  readonly latency: { readonly p50Ms: number; readonly p99Ms: number; readonly paths: Record<string, number>; readonly samplesMs: readonly number[] };
  /** `report`: the HTML run report; `lineage`: the trainer's lineage.json. */
  readonly urls: { readonly registryPage: string; readonly serving: string; readonly report: string; readonly lineage: string };
  /** What the run left behind in the shared services (for cleanup). */
  readonly resources: { readonly topics: readonly string[]; readonly keyPrefix: string; readonly registrySchema: string };
  /** Running apps when `keepRunning` (else already stopped). */
  readonly apps: readonly AppProcess[];
}

async function dirBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const p = path.join(dir, entry.name);
    total += entry.isDirectory() ? await dirBytes(p) : (await stat(p)).size;
  }
  return total;
}

function gitCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '0000000';
  }
}

/** Runs every stage; stops what it started (unless `keepRunning`) even when a stage fails. */
export async function runWholePipeline(o: WholePipelineOptions): Promise<WholePipelineSummary> {
  const runId = `${new Date().toISOString().replace(/[-:T.Z]/g, '').slice(0, 14)}-${randomUUID().slice(0, 6)}`;
  const workDir = path.resolve(o.workDir, runId);
  await mkdir(workDir, { recursive: true });
  const topics: WorldTopics = { interactions: `metarec.${runId}.interactions`, userProfiles: `metarec.${runId}.user-profiles`, itemProfiles: `metarec.${runId}.item-profiles` };
  const s: StackSettings = {
    runId,
    workDir,
    brokers: o.brokers,
    redisUrl: o.redisUrl,
    trainingRedisUrl: o.trainingRedisUrl,
    databaseUrl: o.databaseUrl,
    topics,
    keyPrefix: `metarec:pipeline:${runId}:`,
    token: `pipeline-${randomUUID()}`,
    logLevel: o.logLevel ?? 'warn',
    ...(o.backend === undefined ? {} : { backend: o.backend }),
  };
  process.env['GIT_COMMIT'] ??= gitCommit();
  const apps: AppProcess[] = [];
  const timings: Record<string, number> = {};
  const time = async <T>(stage: string, run: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    o.log(`${stage}…`);
    const value = await run();
    timings[stage] = Math.round(performance.now() - t0);
    o.log(`${stage}: ${timings[stage]} ms`);
    return value;
  };
  const admin = await o.streaming.createTopicAdmin();
  const producer = await o.streaming.createProducer();
  try {
    const world = await time(o.world.kind === 'synthetic' ? 'generate' : `load ${o.world.kind}`, () => loadWorld(o.world, { endMs: Date.now() - 60_000, windowMs: REPLAY_WINDOW_MS }));
    await admin.ensureTopics(Object.values(topics).map((topic) => ({ topic, partitions: 3 })));
    const produced = await time('produce', () => produceWorld(producer, topics, world));
    const registry = await time('start registry', () => startRegistry(s));
    apps.push(registry.app);
    const ingest = await time('ingest', async () => {
      const started = await startIngest(s);
      apps.push(started.app);
      await waitIngested(admin, started.groupId, Object.values(topics), 300_000);
      return started;
    });
    const coOccurrence = await time('co-occurrence rebuild', () => runCoOccurrenceJob(s, ingest.offlineDir));
    const specPath = path.join(workDir, 'run-spec.json');
    const spec = pipelineRunSpec({ offlineStoreDir: ingest.offlineDir, outputDir: path.join(workDir, 'runs'), maxSteps: o.trainSteps });
    await writeFile(specPath, JSON.stringify(spec));
    const workers = await time('start trainer workers', () => startTrainerWorkers(s, 2));
    apps.push(...workers);
    const training = await time('train (coordinator + 2 workers) + evaluate + register', () => runCoordinator(s, specPath, registry.url, 'melu'));
    await Promise.all(workers.map((w) => w.stop()));
    if (training.registered === null) {
      throw new Error('the trainer did not register the model');
    }
    let backend = '';
    const heldOut = await time('held-out check (same users: unadapted prior, bias baseline)', async () => {
      backend = (await selectBackend(o.backend === undefined ? {} : { preferred: o.backend })).reason;
      return heldOutCheck(spec, training.modelDir);
    });
    const client = new RegistryClient({ baseUrl: registry.url, token: s.token });
    const promotion = await time('gate + promote', async () => {
      const moved = await client.moveAlias('melu', 'production', training.registered?.version ?? 0, { reason: `pipeline ${runId}` });
      return { version: moved.alias.version, decision: moved.gate === null ? 'not gated' : JSON.stringify(moved.gate) };
    });
    const serving = await time('start serving', () => startServing(s, registry.url, 'melu'));
    apps.push(serving.app);

    const warm = world.warmUserIds;
    const existingUser = { userId: warm[0], response: await recommend(serving.url, warm[0], 10) };
    const newUser = await time('new user: onboarding → feedback → adapted', () => newUserJourney(serving.url, `newcomer-${runId}`, 10));
    const newItem = await time('new item', async () => {
      const userId = warm[Math.min(40, warm.length - 1)];
      // The new item copies the content of an item this user has not seen (its "twin"), so the two
      // ranks side by side show what the model makes of content alone versus content + a trained id.
      const seen = new Set(world.events.filter((e) => e.user_id === userId).map((e) => e.item_id));
      const twin = world.dataset.items.find((i) => !seen.has(i.item_id)) ?? world.dataset.items[0];
      const itemId = await publishNewItem(producer, topics, twin, warm.slice(1, 31));
      await waitIngested(admin, ingest.groupId, [topics.interactions, topics.itemProfiles], 60_000);
      // Serving shares the popularity list for 2 s and the newest-items list for 5 s: poll until it shows.
      const deadline = Date.now() + NEW_ITEM_VISIBLE_WITHIN_MS;
      for (;;) {
        const response = await recommend(serving.url, userId, 500);
        const rank = response.items.findIndex((i) => i.itemId === itemId);
        if (rank >= 0 || Date.now() > deadline) {
          const twinRank = response.items.findIndex((i) => i.itemId === twin.item_id);
          return {
            itemId,
            userId,
            rank: rank < 0 ? null : rank + 1,
            score: rank < 0 ? null : response.items[rank].score,
            ranked: response.items.length,
            candidateCount: response.candidateCount,
            twin: { itemId: twin.item_id, rank: twinRank < 0 ? null : twinRank + 1, score: twinRank < 0 ? null : response.items[twinRank].score },
          };
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    });
    const latency = await time('serving latency sample', () => latencySample(serving.url, warm, o.latencyRequests, 20));
    const e = training.evaluation;
    const best = e === null ? undefined : bestRatingBaseline(e, { bias: heldOut.baselines.bias });
    const offlineStoreBytes = await dirBytes(ingest.offlineDir);
    const topicNames = [...Object.values(topics), `${topics.interactions}.dead-letter`];
    const links = { registryPage: `${registry.url}/ui/models/melu`, serving: serving.url };
    const report = await time('run report', () =>
      writeRunReport(
        {
          runId,
          world,
          replayWindowMs: REPLAY_WINDOW_MS,
          producedBytes: produced.bytes,
          offlineStoreBytes,
          training,
          trainingWallMs: timings['train (coordinator + 2 workers) + evaluate + register'] ?? 0,
          heldOut,
          latency,
          registry: { model: 'melu', version: promotion.version, alias: 'production', decision: promotion.decision, schema: registry.schema },
          topics: topicNames,
          stagesMs: timings,
          links,
        },
        workDir,
      ),
    );
    return {
      runId,
      backend,
      data: {
        name: world.name,
        users: world.dataset.users.length,
        items: world.dataset.items.length,
        events: world.events.length,
        newUsers: world.newUsers,
        newItems: world.newItems,
        span: world.span,
        producedBytes: produced.bytes,
        offlineStoreBytes,
      },
      timingsMs: timings,
      coOccurrence,
      training,
      coldUserMae: e === null || best === undefined ? null : { model: e.model.mae, bestBaseline: best },
      heldOut,
      promotion,
      existingUser,
      newUser,
      newItem,
      latency,
      urls: { ...links, report, lineage: training.lineagePath },
      resources: { topics: topicNames, keyPrefix: s.keyPrefix, registrySchema: registry.schema },
      apps: o.keepRunning === true ? apps : [],
    };
  } finally {
    await producer.close();
    await admin.close();
    if (o.keepRunning !== true) {
      for (const app of [...apps].reverse()) {
        await app.stop();
      }
    }
  }
}
