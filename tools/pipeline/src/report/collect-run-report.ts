import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { z } from 'zod';

import type { World } from '../world/load-world.js';
import type { HeldOutCheck } from '../whole/held-out-check.js';
import type { TrainerRunSummary } from '../whole/stack.js';
import { renderRunReport } from './render-run-report.js';
import type { EvaluationRow, RunReportInput } from './run-report-input.js';

/** What a finished pipeline run hands to {@link writeRunReport}. */
export interface RunReportSources {
  readonly runId: string;
  readonly world: World;
  readonly replayWindowMs: number;
  readonly producedBytes: number;
  readonly offlineStoreBytes: number;
  readonly training: TrainerRunSummary;
  readonly trainingWallMs: number;
  readonly heldOut: HeldOutCheck;
  readonly latency: { readonly samplesMs: readonly number[]; readonly p50Ms: number; readonly p99Ms: number; readonly paths: Readonly<Record<string, number>> };
  readonly registry: { readonly model: string; readonly version: number; readonly alias: string; readonly decision: string; readonly schema: string };
  readonly topics: readonly string[];
  readonly stagesMs: Readonly<Record<string, number>>;
  readonly links: { readonly registryPage: string; readonly serving: string };
}

/** The parts of the trainer's `lineage.json` the report shows (other fields pass through unread). */
const lineageSchema = z.object({
  runId: z.string(),
  spec: z.record(z.string(), z.unknown()),
  dataVersion: z.string(),
  watermarks: z.array(z.object({ topic: z.string(), partition: z.number(), offset: z.string() })).default([]),
  schemaFingerprint: z.string().optional(),
  gitCommit: z.string().optional(),
  bestStep: z.number().optional(),
  bestValidationLoss: z.number().nullable().optional(),
});

/** The trainer's checkpoint `state.json`: its loss history. */
const checkpointStateSchema = z.object({ losses: z.array(z.number()) });

/**
 * The meta-training loss of every step, from the run's latest checkpoint (`<run>/checkpoints/LATEST`);
 * empty when the run kept no checkpoint.
 */
export async function readLossHistory(lineagePath: string): Promise<number[]> {
  const dir = path.join(path.dirname(lineagePath), 'checkpoints');
  let latest: string;
  try {
    latest = (await readFile(path.join(dir, 'LATEST'), 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return [];
    }
    throw error;
  }
  return checkpointStateSchema.parse(JSON.parse(await readFile(path.join(dir, latest, 'state.json'), 'utf8'))).losses;
}

function ratingsPerUser(world: World): RunReportInput['data']['ratingsPerUser'] {
  const counts = new Map<string, number>();
  for (const e of world.events) {
    counts.set(e.user_id, (counts.get(e.user_id) ?? 0) + 1);
  }
  const sorted = [...counts.values()].sort((a, b) => a - b);
  return { min: sorted[0] ?? 0, median: sorted[Math.floor(sorted.length / 2)] ?? 0, max: sorted.at(-1) ?? 0 };
}

function ratingValues(world: World): RunReportInput['data']['ratingValues'] {
  const counts = new Map<number, number>();
  for (const e of world.events) {
    if (e.value !== null) {
      counts.set(e.value, (counts.get(e.value) ?? 0) + 1);
    }
  }
  return [...counts.entries()].sort((a, b) => a[0] - b[0]).map(([value, count]) => ({ value, count }));
}

function evaluationRows(s: RunReportSources): RunReportInput['evaluation'] {
  const e = s.training.evaluation;
  if (e === null) {
    return null;
  }
  const row = (method: string, kind: EvaluationRow['kind'], m: { mae?: number | null; rmse?: number | null; ndcg10?: number | null; recall10?: number | null; auc?: number | null }): EvaluationRow => ({
    method,
    kind,
    mae: m.mae ?? null,
    rmse: m.rmse ?? null,
    ndcg10: m.ndcg10 ?? null,
    recall10: m.recall10 ?? null,
    auc: m.auc ?? null,
  });
  const h = s.heldOut;
  const rows: EvaluationRow[] = [
    row(e.network === undefined ? 'meta-learned model (served)' : 'meta-learned model + list head (served)', 'model', e.model),
    ...(e.network === undefined ? [] : [row('meta-learned network alone', 'model', e.network)]),
    row('model without local update (prior)', 'model', { mae: h.unadapted }),
    ...Object.entries(e.baselines).map(([name, m]) => row(name, 'baseline', m)),
    row('bias (pipeline check)', 'baseline', { mae: h.baselines.bias }),
  ];
  const listNote =
    e.list === undefined ? null : `List metrics rank query items rated ≥ ${e.list.positiveThreshold} among ${e.list.negativeCount} sampled unrated items (top ${e.list.cutoff}); ${e.users - e.list.usersWithoutPositives} users have such an item.`;
  return { users: e.users, listNote, rows };
}

function settingsOf(spec: Readonly<Record<string, unknown>>): string {
  const inner = spec['inner'] as { steps?: number; lr?: number } | undefined;
  const sizes = Array.isArray(spec['supportSizes']) ? ` support sizes ${(spec['supportSizes'] as unknown[]).join(', ')};` : '';
  return `${String(spec['algorithm'] ?? '?')}, ${inner?.steps ?? '?'} inner steps at lr ${inner?.lr ?? '?'}, meta-batch ${String(spec['metaBatchSize'] ?? '?')};${sizes} validation every ${String(spec['validateEvery'] ?? '?')} steps, patience ${String(spec['patience'] ?? '?')}.`;
}

/** Gathers the report's input from a finished run: the sources plus the trainer's lineage and loss history. */
export async function collectRunReport(s: RunReportSources, now: Date = new Date()): Promise<RunReportInput> {
  const lineage = lineageSchema.parse(JSON.parse(await readFile(s.training.lineagePath, 'utf8')));
  const losses = await readLossHistory(s.training.lineagePath);
  const best = lineage.bestValidationLoss === undefined || lineage.bestValidationLoss === null ? null : { step: lineage.bestStep ?? s.training.bestStep, loss: lineage.bestValidationLoss };
  const h = s.heldOut;
  return {
    runId: s.runId,
    createdAt: now.toISOString(),
    data: {
      name: s.world.name,
      users: s.world.dataset.users.length,
      items: s.world.dataset.items.length,
      events: s.world.events.length,
      span: s.world.span,
      replayWindowMs: s.replayWindowMs,
      newUsers: s.world.newUsers,
      newItems: s.world.newItems,
      producedBytes: s.producedBytes,
      offlineStoreBytes: s.offlineStoreBytes,
      ratingsPerUser: ratingsPerUser(s.world),
      ratingValues: ratingValues(s.world),
    },
    training: { steps: s.training.steps, bestStep: s.training.bestStep, stoppedEarly: s.training.stoppedEarly, losses, bestValidation: best, wallMs: s.trainingWallMs, settings: settingsOf(lineage.spec) },
    evaluation: evaluationRows(s),
    coldStart: { users: h.users, shrinkage: h.shrinkage, points: h.curve, all: { model: h.adapted, bias: h.baselines.bias } },
    latency: s.latency,
    lineage: [
      { key: 'registry', value: `${s.registry.model} v${s.registry.version}, alias ${s.registry.alias}; gate: ${s.registry.decision}` },
      { key: 'training run', value: lineage.runId },
      { key: 'data version', value: lineage.dataVersion },
      { key: 'schema fingerprint', value: lineage.schemaFingerprint ?? '—' },
      { key: 'git commit', value: lineage.gitCommit ?? '—' },
      { key: 'Kafka watermarks', value: lineage.watermarks.map((w) => `${w.topic}[${w.partition}]@${w.offset}`).join(', ') || '—' },
      { key: 'topics', value: s.topics.join(', ') },
      { key: 'registry schema', value: s.registry.schema },
      { key: 'model directory', value: s.training.modelDir },
    ],
    spec: lineage.spec,
    stagesMs: s.stagesMs,
    links: s.links,
  };
}

/**
 * Writes the run report to `<dir>/report.html` (paths shown relative to `dir`) and returns its path.
 * @throws ZodError when the lineage or checkpoint files are not the trainer's format; fs errors.
 */
export async function writeRunReport(s: RunReportSources, dir: string): Promise<string> {
  const file = path.join(dir, 'report.html');
  await writeFile(file, renderRunReport(await collectRunReport(s), { pathBase: dir }));
  return file;
}
