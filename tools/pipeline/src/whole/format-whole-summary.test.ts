import { describe, expect, it } from 'vitest';

import { formatWholeSummary } from './format-whole-summary.js';
import type { WholePipelineSummary } from './run-whole-pipeline.js';

const recs = (path: string, supportCount: number): WholePipelineSummary['existingUser']['response'] => ({
  path,
  modelVersion: 1,
  supportCount,
  candidateCount: 150,
  items: [
    { itemId: 'i1', score: 4.5 },
    { itemId: 'i2', score: 4.25 },
  ],
  degraded: [],
});

const summary: WholePipelineSummary = {
  runId: 'r1',
  data: { name: 'synthetic', users: 300, items: 200, events: 11_000, newUsers: 60, newItems: 20, span: { firstMs: Date.UTC(2026, 8, 1), lastMs: Date.UTC(2026, 10, 30) }, producedBytes: 1_500_000, offlineStoreBytes: 450_000 },
  timingsMs: { 'train (coordinator + 2 workers) + evaluate + register': 34_400, ingest: 5_000 },
  coOccurrence: { interactions: 11_000, items: 190, pairs: 9_500, removed: 0, ms: 800 },
  backend: 'tensorflow (1 intra-op / 1 inter-op threads, oneDNN off)',
  training: { runId: 'run-1', steps: 40, modelDir: '/m', lineagePath: '/m/lineage.json', evaluation: { users: 38, model: { mae: 0.7, rmse: 0.9 }, baselines: { itemMean: { mae: 0.77, rmse: 1 } } }, registered: { version: 1 }, bestStep: 30, stoppedEarly: false },
  coldUserMae: { model: 0.7, bestBaseline: { name: 'itemMean', mae: 0.77 } },
  heldOut: { users: 38, shrinkage: 10, adapted: 0.7, unadapted: 0.85, baselines: { globalMean: 0.92, userMean: 0.88, itemMean: 0.77, bias: 0.75 }, curve: [{ support: 0, model: 0.88, bias: 0.78 }, { support: 3, model: 0.84, bias: 0.77 }], unknownItems: { adapted: 0.76, meanAbsShift: 0.25 }, vsBest: { baseline: 'itemMean', difference: -0.07, se: 0.01 } },
  promotion: { version: 1, decision: 'pass' },
  existingUser: { userId: 'u4', response: recs('adapted', 36) },
  newUser: { userId: 'n', onboarding: ['a', 'b', 'c'], rated: [{ itemId: 'a', value: 5 }], before: recs('cold', 0), after: recs('adapted', 1) },
  newItem: { itemId: 'new-1', rank: 7, score: 3.5, userId: 'u57', ranked: 150, candidateCount: 150, twin: { itemId: 'i3', rank: 2, score: 4.1 } },
  latency: { p50Ms: 4.2, p99Ms: 20.5, paths: { cached: 200, adapted: 100 }, samplesMs: [4.2, 20.5] },
  urls: { registryPage: 'http://r/ui/models/melu', serving: 'http://s', report: '/w/r1/report.html', lineage: '/m/lineage.json' },
  resources: { topics: [], keyPrefix: 'p:', registrySchema: 's' },
  apps: [],
};

describe('formatWholeSummary', () => {
  it('prints data sizes, training time, cold-user MAE against the best baseline, serving latency and the URLs', () => {
    const text = formatWholeSummary(summary).join('\n');
    expect(text).toContain('backend     tensorflow (1 intra-op / 1 inter-op threads, oneDNN off)');
    expect(text).toContain('synthetic: 300 users (60 arriving late), 200 items (20 released late), 11000 events of 2026-09-01..2026-11-30 replayed through Kafka in event-time order');
    expect(text).toContain('rebuild job: 9500 item pairs for 190 items from 11000 interactions in 0.8 s');
    expect(text).toContain('40 meta-steps, parameters of step 30 kept (best on validation users), coordinator + 2 workers, 34.4 s');
    expect(text).toContain('held-out MAE 0.700 vs best baseline itemMean 0.770 (better: -0.070 ± 0.010 per user; 38 users)');
    expect(text).toContain("same 38 users' query ratings: adapted 0.700, unadapted prior 0.850; baselines bias 0.750, itemMean 0.770");
    expect(text).toContain('by support size (first k ratings; model vs bias; shrinkage κ 10): 0 → 0.880 vs 0.780, 3 → 0.840 vs 0.770, all → 0.700 vs 0.750');
    expect(text).toContain('query items scored as new items (item_id unknown, content kept): adapted 0.760, mean |shift| 0.250 stars');
    expect(text).toContain('rated a=5 → path adapted (1 ratings)');
    expect(text).toContain('new-1: in the candidates, rank 7 of 150 for u57, score 3.50');
    expect(text).toContain('its content twin i3 (trained id): rank 2, score 4.10');
    expect(text).toContain('p50 4.2 ms, p99 20.5 ms');
    expect(text).toContain('registry page http://r/ui/models/melu');
    expect(text).toContain('report      /w/r1/report.html');
  });

  it('names real data without late arrivals, and says how to keep the apps up for the registry page', () => {
    const real = { ...summary, data: { ...summary.data, name: 'movielens ml-100k', newUsers: 0, newItems: 0 } };
    const text = formatWholeSummary(real).join('\n');
    expect(text).toContain('data        movielens ml-100k: 300 users, 200 items, 11000 events');
    expect(text).toContain('run again with --keep-running (npm run pipeline -- --keep-running) to keep them up and open the registry page');
    expect(formatWholeSummary(real, { keepRunning: true }).join('\n')).toContain('the apps stay up until Ctrl-C: open the registry page now');
  });

  it('says so when the model does not beat the best baseline', () => {
    const worse = { ...summary, coldUserMae: { model: 0.8, bestBaseline: { name: 'itemMean', mae: 0.77 } } };
    expect(formatWholeSummary(worse).join('\n')).toContain('(NOT better;');
  });

  it('does not call a win within two standard errors of the per-user difference better', () => {
    const close = { ...summary, heldOut: { ...summary.heldOut, vsBest: { baseline: 'itemMean' as const, difference: -0.07, se: 0.04 } } };
    expect(formatWholeSummary(close).join('\n')).toContain('(NOT significantly better: -0.070 ± 0.040 per user, within 2 SE; 38 users)');
  });

  describe('the list a user sees (held-out nDCG@10 of the model beside popularity)', () => {
    const withList = (modelNdcg: number): WholePipelineSummary => ({
      ...summary,
      training: {
        ...summary.training,
        evaluation: {
          users: 38,
          list: { cutoff: 10, positiveThreshold: 4, negativeCount: 100, usersWithoutPositives: 3 },
          model: { mae: 0.7, rmse: 0.9, ndcg10: modelNdcg, recall10: 0.2, auc: 0.81 },
          baselines: { itemMean: { mae: 0.77, rmse: 1, ndcg10: 0.1, recall10: 0.15, auc: 0.7 }, popularity: { mae: null, rmse: null, ndcg10: 0.243, recall10: 0.41, auc: 0.86 } },
        },
      },
    });

    it('prints the model against popularity, and whether it beats it', () => {
      const text = formatWholeSummary(withList(0.081)).join('\n');
      expect(text).toContain(
        'list nDCG@10 0.081 vs popularity 0.243 (NOT better); recall@10 0.200 vs 0.410, AUC 0.810 vs 0.860 (query items rated >= 4 among 100 sampled unrated items; 35 users with one)',
      );
      expect(formatWholeSummary(withList(0.3)).join('\n')).toContain('list nDCG@10 0.300 vs popularity 0.243 (better)');
    });

    it("names the list head and the network's own list beside it when the run fitted one", () => {
      const base = withList(0.3);
      const evaluation = base.training.evaluation;
      const headed = { ...base, training: { ...base.training, evaluation: evaluation === null ? null : { ...evaluation, network: { ndcg10: 0.12 } } } };
      expect(formatWholeSummary(headed).join('\n')).toContain('list nDCG@10 0.300 (list head; network alone 0.120) vs popularity 0.243 (better)');
    });

    it('prints no list line for a trainer without list metrics', () => {
      expect(formatWholeSummary(summary).join('\n')).not.toContain('list nDCG@10');
    });
  });

  it('says so when the new item did not reach the candidates', () => {
    const missing = { ...summary, newItem: { ...summary.newItem, rank: null, score: null } };
    expect(formatWholeSummary(missing).join('\n')).toContain('new-1: NOT among the 150 candidates for u57');
  });
});
