import type { VersionRecord } from '../registry/records.js';
import { COLD_START_METRIC_PREFIX, RUN_METRIC_KEYS } from '../runs/metric-keys.js';
import type { RunMetricPoint } from '../runs/run-records.js';

/** A curve of one version: (step, value) points in step order. */
export interface VersionSeries {
  readonly version: number;
  readonly points: ReadonlyArray<{ readonly step: number; readonly value: number }>;
}

/** One metric of the evaluation tables across the compared versions (null: the version lacks it). */
export interface ComparisonRow {
  readonly scenario: string;
  readonly method: string;
  readonly metric: string;
  /** In the order of `VersionComparison.versions`. */
  readonly values: ReadonlyArray<number | null>;
}

/** Two or more versions side by side: evaluation tables, training and cold-start curves. */
export interface VersionComparison {
  readonly model: string;
  readonly versions: readonly number[];
  /** Evaluation set id per version (null: none); numbers are comparable only when all are equal. */
  readonly evaluationSetIds: ReadonlyArray<string | null>;
  readonly comparable: boolean;
  readonly rows: readonly ComparisonRow[];
  /** Training curves by run metric key (`train/loss`, `validation/loss`). */
  readonly training: Readonly<Record<string, readonly VersionSeries[]>>;
  /** Cold-start curves by run metric key (`cold_start/<metric>/<method>`), step = support size. */
  readonly coldStart: Readonly<Record<string, readonly VersionSeries[]>>;
}

/**
 * Lays versions side by side (pure: the caller fetched the versions and their runs' metric
 * histories, keyed by version number; a version whose run the registry does not know has none).
 */
export function buildVersionComparison(model: string, versions: readonly VersionRecord[], histories: ReadonlyMap<number, readonly RunMetricPoint[]>): VersionComparison {
  const numbers = versions.map((v) => v.version);
  const cells = new Map<string, { scenario: string; method: string; metric: string; values: Array<number | null> }>();
  versions.forEach((v, column) => {
    for (const [scenario, methods] of Object.entries(v.manifest.metrics?.scenarios ?? {})) {
      for (const [method, metrics] of Object.entries(methods)) {
        for (const [metric, value] of Object.entries(metrics)) {
          const id = JSON.stringify([scenario, method, metric]);
          const row = cells.get(id) ?? { scenario, method, metric, values: numbers.map(() => null) };
          row.values[column] = value;
          cells.set(id, row);
        }
      }
    }
  });
  const ids = versions.map((v) => v.evaluationSetId);
  const training: Record<string, VersionSeries[]> = {};
  const coldStart: Record<string, VersionSeries[]> = {};
  const trainingKeys: ReadonlySet<string> = new Set(Object.values(RUN_METRIC_KEYS));
  for (const v of versions) {
    const byKey = new Map<string, Array<{ step: number; value: number }>>();
    for (const p of histories.get(v.version) ?? []) {
      const list = byKey.get(p.key) ?? [];
      list.push({ step: p.step, value: p.value });
      byKey.set(p.key, list);
    }
    for (const [key, points] of byKey) {
      const target = trainingKeys.has(key) ? training : key.startsWith(COLD_START_METRIC_PREFIX) ? coldStart : undefined;
      if (target !== undefined) {
        (target[key] ??= []).push({ version: v.version, points: points.sort((a, b) => a.step - b.step) });
      }
    }
  }
  return {
    model,
    versions: numbers,
    evaluationSetIds: ids,
    comparable: ids.every((id) => id !== null && id === ids[0]),
    rows: [...cells.values()],
    training,
    coldStart,
  };
}
