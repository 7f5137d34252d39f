import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { parseRunSpec, type RunLineage } from '@metarec/training';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { pipelineRunSpec } from '../whole/pipeline-training.js';
import type { HeldOutCheck } from '../whole/held-out-check.js';
import type { TrainerRunSummary } from '../whole/stack.js';
import { loadWorld, type World } from '../world/load-world.js';
import { collectRunReport, readLossHistory, writeRunReport, type RunReportSources } from './collect-run-report.js';
import { renderRunReport } from './render-run-report.js';

let dir: string;
let sources: RunReportSources;

/** 30 users × 16 ratings over 30 days, the generic importer's CSV with a header. */
function ratingsCsv(): string {
  const lines = ['userId,movieId,rating,timestamp'];
  for (let u = 0; u < 30; u++) {
    for (let k = 0; k < 16; k++) {
      lines.push(`u${u},m${(u * 7 + k * 3) % 50},${1 + ((u + k) % 5)},${1_600_000_000 + (u * 16 + k) * 5_400}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'metarec-run-report-'));
  await writeFile(path.join(dir, 'ratings.csv'), ratingsCsv());
  const world: World = await loadWorld({ kind: 'file', ratings: path.join(dir, 'ratings.csv') }, { endMs: Date.UTC(2026, 11, 1), windowMs: 3_600_000 });
  const runDir = path.join(dir, 'runs', 'r-1');
  const spec = parseRunSpec(pipelineRunSpec({ offlineStoreDir: path.join(dir, 'offline-store'), outputDir: path.join(dir, 'runs'), maxSteps: 40 }));
  // The fields the report reads, typed by the trainer's own lineage type.
  const lineage: Pick<RunLineage, 'runId' | 'spec' | 'dataVersion' | 'watermarks' | 'schemaFingerprint' | 'gitCommit' | 'bestStep' | 'bestValidationLoss'> = {
    runId: 'r-1',
    spec,
    dataVersion: 'sha256:abc',
    watermarks: [{ topic: 'metarec.t.interactions', partition: 0, offset: '479' }],
    schemaFingerprint: 'sha256:def',
    gitCommit: '0123456',
    bestStep: 30,
    bestValidationLoss: 0.91,
  };
  await mkdir(path.join(runDir, 'checkpoints', 'step-00000040'), { recursive: true });
  await writeFile(path.join(runDir, 'lineage.json'), JSON.stringify(lineage));
  await writeFile(path.join(runDir, 'checkpoints', 'LATEST'), 'step-00000040');
  await writeFile(path.join(runDir, 'checkpoints', 'step-00000040', 'state.json'), JSON.stringify({ step: 40, losses: Array.from({ length: 40 }, (_, k) => 1.3 - k * 0.01) }));
  const training: TrainerRunSummary = {
    runId: 'r-1',
    steps: 40,
    modelDir: path.join(runDir, 'model'),
    lineagePath: path.join(runDir, 'lineage.json'),
    evaluation: {
      users: 6,
      list: { cutoff: 10, positiveThreshold: 4, negativeCount: 100, usersWithoutPositives: 1 },
      model: { mae: 0.81, rmse: 1.02, ndcg10: 0.41, recall10: 0.5, auc: 0.77 },
      baselines: { itemMean: { mae: 0.85, rmse: 1.05, ndcg10: 0.3, recall10: 0.4, auc: 0.7 }, popularity: { mae: null, rmse: null, ndcg10: 0.45, recall10: 0.52, auc: 0.8 } },
    },
    registered: { version: 1 },
    bestStep: 30,
    stoppedEarly: false,
  };
  const heldOut: HeldOutCheck = {
    users: 6,
    adapted: 0.81,
    unadapted: 0.9,
    baselines: { globalMean: 0.95, userMean: 0.93, itemMean: 0.85, bias: 0.83 },
    vsBest: { baseline: 'bias', difference: -0.02, se: 0.03 },
    shrinkage: 10,
    curve: [
      { support: 0, model: 0.92, bias: 0.88 },
      { support: 1, model: 0.9, bias: 0.87 },
      { support: 3, model: 0.86, bias: 0.86 },
    ],
    unknownItems: null,
  };
  sources = {
    runId: 'run-1',
    world,
    replayWindowMs: 3_600_000,
    producedBytes: 50_000,
    offlineStoreBytes: 20_000,
    training,
    trainingWallMs: 12_300,
    heldOut,
    latency: { samplesMs: [3.1, 3.4, 2.9, 12.5, 3.3], p50Ms: 3.3, p99Ms: 12.5, paths: { adapted: 5 } },
    registry: { model: 'melu', version: 1, alias: 'production', decision: 'pass', schema: 'pipeline_x' },
    topics: ['metarec.t.interactions'],
    stagesMs: { ingest: 1_000, 'train (coordinator + 2 workers) + evaluate + register': 12_300 },
    links: { registryPage: 'http://127.0.0.1:8081/ui/models/melu', serving: 'http://127.0.0.1:8080' },
  };
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('run report', () => {
  it('reads the loss of every step from the latest checkpoint', async () => {
    const losses = await readLossHistory(sources.training.lineagePath);
    expect(losses).toHaveLength(40);
    expect(losses[0]).toBeCloseTo(1.3, 9);
  });

  it('has every section, from the imported data, the lineage, the checkpoint, the evaluation and the latency sample', async () => {
    const input = await collectRunReport(sources, new Date(Date.UTC(2026, 11, 1)));
    const html = renderRunReport(input, { pathBase: dir });
    for (const section of ['data', 'training', 'evaluation', 'cold-start', 'latency', 'lineage', 'spec']) {
      expect(html).toContain(`<h2 id="${section}">`);
    }
    expect(html).toContain('<b>file ratings.csv</b>: 30 users, 50 items, 480 interactions');
    expect(html).toContain('ratings per user 16 / 16 / 16');
    expect(html).toContain('Events 2020-09-13 → 2020-10-13');
    // Training: the 40-step loss curve with its moving average and the best validation point.
    expect(html).toContain('40 meta-steps');
    expect(html).toContain('validation loss 0.9100 at step 30');
    expect(html).toContain('fomaml, 5 inner steps at lr 0.05');
    // Evaluation with baselines: the served model first, then each baseline; best MAE highlighted.
    expect(html).toContain('<td>meta-learned model (served)</td><td>model</td><td class="best">0.810</td>');
    expect(html).toContain('<td>popularity</td><td>baseline</td><td>—</td><td>—</td><td class="best">0.450</td>');
    expect(html).toContain('<td>bias (pipeline check)</td><td>baseline</td><td>0.830</td>');
    // Cold start: the curve and the table, "all" included.
    expect(html).toContain('<tr><td>all</td><td>0.810</td><td>0.830</td></tr>');
    // Latency histogram with p50 / p99 markers.
    expect(html).toContain('p50 3.3');
    expect(html).toContain('p99 12.5');
    // Lineage: registry version, data version, watermark.
    expect(html).toContain('melu v1, alias production; gate: pass');
    expect(html).toContain('metarec.t.interactions[0]@479');
    expect((html.match(/<svg /g) ?? []).length).toBe(3);
  });

  it('is self-contained and names no absolute path of this machine', async () => {
    const html = renderRunReport(await collectRunReport(sources), { pathBase: dir });
    expect(html).not.toMatch(/<script|<link |<img |src=|@import|url\(/);
    expect(html).not.toContain(dir);
    expect(html).not.toContain(tmpdir());
    expect(html).toContain('runs/r-1/model');
    expect(html).toContain('--keep-running');
  });

  it('writes report.html into the run directory and returns its path', async () => {
    const file = await writeRunReport(sources, dir);
    expect(file).toBe(path.join(dir, 'report.html'));
    expect(await readFile(file, 'utf8')).toMatch(/^<!doctype html>/);
  });
});
