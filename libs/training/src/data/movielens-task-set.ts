import { importMovieLens } from '@metarec/datasets';

import { dataIdentityOf, type RunDataSpec } from '../spec/run-spec.js';
import { datasetTaskSet } from './dataset-task-set.js';
import type { TaskSet } from './task-set.js';

type MovieLensSpec = Extract<RunDataSpec, { kind: 'movielens' }>;

/**
 * Tasks of a MovieLens directory (ML-100K or ML-1M, datasets' `importMovieLens`, checksums verified
 * when present), built as offline-store data is (`datasetTaskSet`): how a run is measured on public
 * data through the trainer itself, workers included (every machine reads the same directory, e.g.
 * a shared volume; the data version, which covers every rating, makes a differing copy fail loudly).
 * No stream was read: no watermarks; the newest rating time is the data watermark.
 * @throws DatasetError naming the file when the directory is missing or malformed; TrainingError `TRAIN_DATA_EMPTY`.
 */
export async function movieLensTaskSet(spec: MovieLensSpec): Promise<TaskSet> {
  const dataset = await importMovieLens(spec.dir);
  // Not the directory: the same files elsewhere are the same data (the version covers every rating).
  const { dir: _dir, ...split } = dataIdentityOf(spec);
  const { newestMs, ...tasks } = datasetTaskSet(dataset, spec, {
    identity: { format: dataset.format, split },
    label: `MovieLens ${dataset.format} (${spec.dir})`,
  });
  return { ...tasks, watermarks: [], dataWatermarkMs: newestMs };
}
