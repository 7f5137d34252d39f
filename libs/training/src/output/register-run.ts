import { createHash } from 'node:crypto';

import type { HeldOutMetrics } from '@metarec/evaluation';
import { MODEL_DIR_FORMAT, MODEL_DIR_FORMAT_VERSION } from '@metarec/meta-learning';
import { writeBundleManifest, type BundleMetrics, type RegistryClient } from '@metarec/registry';

import { errorCodeOf, TrainingError } from '../errors.js';
import { dataIdentityOf } from '../spec/run-spec.js';
import type { RunLineage } from './run-output.js';

/** Options of {@link registerRun}. */
export interface RegisterRunOptions {
  readonly client: RegistryClient;
  /** Registry model name, e.g. `melu`. */
  readonly model: string;
  /** The run's model directory and lineage (`RunResult`). */
  readonly modelDir: string;
  readonly lineage: RunLineage;
}

/** Scenario name of the trainer's held-out-user evaluation in the registry's metrics block. */
export const HELD_OUT_SCENARIO = 'held-out-users';

/** A metric in the block: the manifest takes finite numbers or null ("not defined", e.g. popularity's MAE). */
const value = (v: number): number | null => (Number.isFinite(v) ? v : null);

/**
 * The registry metrics block of a run (what the promotion gate compares): the lineage's held-out
 * evaluation, verbatim (errors of predictions clipped to the data's rating scale, `nmae`/`nrmse`
 * divided by its range, as `metarec-eval` reports them), plus the list metrics under
 * `metarec-eval`'s names (`ndcg10`, `recall10`, `auc`: query positives among sampled unrated items)
 * for the model (lists as served: in the list head's order when the run has one; the network's own
 * order beside it as `network`) and every baseline, popularity included. Undefined figures are `null`; metrics a
 * lineage does not have (written before them) are left out, as older blocks in the registry lack them.
 */
export function bundleMetricsOf(lineage: RunLineage): BundleMetrics | undefined {
  const e = lineage.evaluation;
  if (e === null) {
    return undefined;
  }
  const m = (x: HeldOutMetrics): Record<string, number | null> => ({
    mae: value(x.mae),
    rmse: value(x.rmse),
    nmae: value(x.nmae),
    nrmse: value(x.nrmse),
    [`ndcg@${e.k}`]: value(x.ndcg),
    ...(x.ndcg10 === undefined ? {} : { ndcg10: value(x.ndcg10) }),
    ...(x.recall10 === undefined ? {} : { recall10: value(x.recall10) }),
    ...(x.auc === undefined ? {} : { auc: value(x.auc) }),
  });
  return {
    // The held-out users are fixed by the data section of the spec (source, split seed, fractions) and the data version;
    // id dropout changes only training tasks, so runs with and without it stay comparable at the gate.
    evaluationSetId: `sha256:${createHash('sha256').update(JSON.stringify([lineage.dataVersion, dataIdentityOf(lineage.spec.data)])).digest('hex')}`,
    method: 'melu',
    scenarios: {
      [HELD_OUT_SCENARIO]: {
        melu: m(e.model),
        // With a list head, the network's own list order: what the head bought is melu − network.
        ...(e.network === undefined ? {} : { network: m(e.network) }),
        global_mean: m(e.baselines.globalMean),
        user_mean: m(e.baselines.userMean),
        item_mean: m(e.baselines.itemMean),
        ...(e.baselines.popularity === undefined ? {} : { popularity: m(e.baselines.popularity) }),
        ...(e.baselines.bias === undefined ? {} : { bias: m(e.baselines.bias) }),
      },
    },
  };
}

/** Creates the registry model on first use (a concurrent creator winning the race is fine). */
async function ensureModel(client: RegistryClient, model: string): Promise<void> {
  try {
    await client.getModel(model);
  } catch (e) {
    if (errorCodeOf(e) !== 'REG_MODEL_NOT_FOUND') {
      throw e;
    }
    await client.createModel(model, 'MeLU meta-learned recommender (trainer)').catch((c: unknown) => {
      if (errorCodeOf(c) !== 'REG_MODEL_EXISTS') {
        throw c;
      }
    });
  }
}

/**
 * Registers a finished run (creating the registry model if needed): writes the registry's `bundle-manifest.json` into the model directory
 * (files, schema fingerprint, lineage, metrics) and uploads it with `registerBundleDir`.
 * @throws TrainingError `TRAIN_OPTIONS_INVALID` when the lineage has no git commit hash; RegistryError codes of the client.
 */
export async function registerRun(options: RegisterRunOptions): Promise<{ created: boolean; version: number; uploadedBytes: number }> {
  const l = options.lineage;
  if (!/^[0-9a-f]{7,40}$/.test(l.gitCommit)) {
    throw new TrainingError('TRAIN_OPTIONS_INVALID', `registration needs the git commit of the trainer (got '${l.gitCommit}'; set GIT_COMMIT)`, { field: 'gitCommit' });
  }
  await ensureModel(options.client, options.model);
  const metrics = bundleMetricsOf(l);
  await writeBundleManifest({
    dir: options.modelDir,
    format: `${MODEL_DIR_FORMAT}/${MODEL_DIR_FORMAT_VERSION}`,
    schemaFingerprint: l.schemaFingerprint,
    lineage: {
      trainingRunId: l.runId,
      trainingSpec: l.spec as unknown as Record<string, unknown>,
      // Synthetic data has no event times: the run's start stands in.
      dataWatermark: new Date(l.dataWatermarkMs ?? l.startedAtMs).toISOString(),
      gitCommit: l.gitCommit,
      parentVersion: null,
    },
    ...(metrics === undefined ? {} : { metrics }),
    labels: { runId: l.runId },
  });
  const r = await options.client.registerBundleDir(options.model, options.modelDir);
  return { created: r.created, version: r.version.version, uploadedBytes: r.uploadedBytes };
}
