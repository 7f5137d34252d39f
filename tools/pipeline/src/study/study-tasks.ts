// The pipeline's synthetic world as the trainer's tasks, in process (no Kafka, no offline store):
// the same generator call, encoder fit, task split and hashed train/validation/test buckets as
// `generateWorld` + libs/training `offlineStoreTaskSet` with the pipeline's run spec.
import { buildUserTasks, FeatureEncoder, generateSynthetic, type SyntheticDataset, type SyntheticOptions, userSplitOf } from '@metarec/datasets';
import type { FeatureLayout, UserTask } from '@metarec/schemas';

/** Train / validation / test tasks of one world. */
export interface StudyTasks {
  readonly featureLayout: FeatureLayout;
  readonly train: UserTask[];
  readonly validation: UserTask[];
  readonly test: UserTask[];
  readonly dataset: SyntheticDataset;
}

/** The pipeline's world (`generateWorld`) before `overrides`. */
export const PIPELINE_WORLD: SyntheticOptions = { seed: 7, users: 300, items: 200, interactionsPerUser: { min: 20, max: 60 }, newUserFraction: 0.2, newItemFraction: 0.1 };

/** The pipeline run spec's data section (queryCount, rating bounds, held-out shares, split seed 0). */
const SPLIT = { queryCount: 10, minRatings: 13, maxRatings: 100, testFraction: 0.2, validationFraction: 0.1, splitSeed: 0 } as const;

/** Generates the world and builds its tasks; `includeUserId` reproduces encoders fitted before user ids were dropped. */
export function studyTasks(overrides: SyntheticOptions, includeUserId = false): StudyTasks {
  const dataset = generateSynthetic({ ...PIPELINE_WORLD, ...overrides });
  const encoder = FeatureEncoder.fit({ users: dataset.users, items: dataset.items }, { includeUserId });
  const c = dataset.interactions;
  const built = buildUserTasks(
    { interactions: { userRows: c.userRows, itemRows: c.itemRows, labels: c.values, timestampsMs: c.timestampsMs }, users: encoder.encodeUsers(dataset.users), items: encoder.encodeItems(dataset.items) },
    { queryCount: SPLIT.queryCount, minRatings: SPLIT.minRatings, maxRatings: SPLIT.maxRatings, seed: SPLIT.splitSeed },
  );
  const split: Record<'train' | 'validation' | 'test', UserTask[]> = { train: [], validation: [], test: [] };
  for (const task of built.tasks) {
    split[userSplitOf(task.userId, SPLIT)].push(task);
  }
  return { featureLayout: encoder.layout(), ...split, dataset };
}
