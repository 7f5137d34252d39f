/** Where a training run stands (MLflow's run statuses, `scheduled` left out: runs are created when they start). */
export type RunStatus = 'running' | 'finished' | 'failed' | 'killed';

/** Every run status, for schemas and filters. */
export const RUN_STATUSES = ['running', 'finished', 'failed', 'killed'] as const satisfies readonly RunStatus[];

/** A training run: what it was started with, where it stands, what it logged. */
export interface RunRecord {
  readonly runId: string;
  readonly name: string;
  /** Group of comparable runs (the trainer uses the registry model's name). */
  readonly experiment: string;
  readonly status: RunStatus;
  /** The run spec it was started with; immutable. */
  readonly params: Readonly<Record<string, unknown>>;
  readonly tags: Readonly<Record<string, string>>;
  readonly createdBy: string;
  /** ISO-8601. */
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly updatedAt: string;
  /** Each metric's value at its latest step. */
  readonly latestMetrics: Readonly<Record<string, RunMetricValue>>;
}

/** A metric's value at one step. */
export interface RunMetricValue {
  readonly step: number;
  readonly value: number;
}

/** One logged metric value. */
export interface RunMetricPoint extends RunMetricValue {
  readonly key: string;
}

/** A file a run logged (bytes in the content-addressed store). */
export interface RunArtifact {
  readonly path: string;
  readonly sha256: string;
  readonly bytes: number;
  readonly contentType: string | null;
  readonly at: string;
}

/** A model version registered from a run. */
export interface RunVersionLink {
  readonly model: string;
  readonly version: number;
  readonly archived: boolean;
}

/** A run with its artifacts and linked versions (the run page). */
export interface RunDetail extends RunRecord {
  readonly artifacts: readonly RunArtifact[];
  readonly versions: readonly RunVersionLink[];
}

/** Row shapes as pg returns them. */
export interface RunRow {
  seq: string;
  run_id: string;
  name: string;
  experiment: string;
  status: RunStatus;
  params: Record<string, unknown>;
  tags: Record<string, string>;
  created_by: string;
  started_at: Date;
  finished_at: Date | null;
  updated_at: Date;
}

export interface RunArtifactRow {
  path: string;
  sha256: string;
  bytes: string;
  content_type: string | null;
  at: Date;
}

export function toRunRecord(row: RunRow, latestMetrics: Readonly<Record<string, RunMetricValue>>): RunRecord {
  return {
    runId: row.run_id,
    name: row.name,
    experiment: row.experiment,
    status: row.status,
    params: row.params,
    tags: row.tags,
    createdBy: row.created_by,
    startedAt: row.started_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
    updatedAt: row.updated_at.toISOString(),
    latestMetrics,
  };
}

// bigint columns arrive as strings; artifact sizes stay far below 2^53.
export function toRunArtifact(row: RunArtifactRow): RunArtifact {
  return { path: row.path, sha256: row.sha256, bytes: Number(row.bytes), contentType: row.content_type, at: row.at.toISOString() };
}
