/** One row of the run report's evaluation table (null: the method has no such figure). */
export interface EvaluationRow {
  readonly method: string;
  /** `model` rows are what serving answers with; `baseline` rows are the comparison. */
  readonly kind: 'model' | 'baseline';
  readonly mae: number | null;
  readonly rmse: number | null;
  readonly ndcg10: number | null;
  readonly recall10: number | null;
  readonly auc: number | null;
}

/** Everything the run report shows: plain data, gathered by `collectRunReport`, rendered by `renderRunReport`. */
export interface RunReportInput {
  readonly runId: string;
  /** When the report was written, ISO 8601. */
  readonly createdAt: string;
  readonly data: {
    readonly name: string;
    readonly users: number;
    readonly items: number;
    readonly events: number;
    /** The data's own first and last event time, epoch ms (the replay maps them into `replayWindowMs`). */
    readonly span: { readonly firstMs: number; readonly lastMs: number };
    readonly replayWindowMs: number;
    readonly newUsers: number;
    readonly newItems: number;
    readonly producedBytes: number;
    readonly offlineStoreBytes: number;
    /** Ratings per user: smallest, median, largest. */
    readonly ratingsPerUser: { readonly min: number; readonly median: number; readonly max: number };
    /** Rating value → count. */
    readonly ratingValues: ReadonlyArray<{ readonly value: number; readonly count: number }>;
  };
  readonly training: {
    readonly steps: number;
    readonly bestStep: number;
    readonly stoppedEarly: boolean;
    /** The meta-training loss of every step (the trainer's checkpoint keeps the whole history). */
    readonly losses: readonly number[];
    /** The validation loss of the kept parameters (the trainer records the best one only). */
    readonly bestValidation: { readonly step: number; readonly loss: number } | null;
    readonly wallMs: number;
    readonly settings: string;
  };
  /** The trainer's held-out evaluation: the served model and every baseline on the same users. */
  readonly evaluation: { readonly users: number; readonly listNote: string | null; readonly rows: readonly EvaluationRow[] } | null;
  /** The cold-start curve: MAE of the held-out users' query ratings with their first k support ratings. */
  readonly coldStart: {
    readonly users: number;
    readonly shrinkage: number;
    readonly points: ReadonlyArray<{ readonly support: number; readonly model: number; readonly bias: number }>;
    /** With every support rating. */
    readonly all: { readonly model: number; readonly bias: number };
  };
  readonly latency: { readonly samplesMs: readonly number[]; readonly p50Ms: number; readonly p99Ms: number; readonly paths: Readonly<Record<string, number>> };
  /** Key facts tying the model to its data and code, in display order. */
  readonly lineage: ReadonlyArray<{ readonly key: string; readonly value: string }>;
  /** The trainer's run spec as recorded in its lineage. */
  readonly spec: unknown;
  readonly stagesMs: Readonly<Record<string, number>>;
  readonly links: { readonly registryPage: string; readonly serving: string };
}
