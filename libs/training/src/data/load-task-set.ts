import type { RunDataSpec } from '../spec/run-spec.js';
import { movieLensTaskSet } from './movielens-task-set.js';
import { offlineStoreTaskSet } from './offline-store-task-set.js';
import { syntheticTaskSet } from './synthetic-task-set.js';
import type { TaskSet } from './task-set.js';

/** Builds the task set a data spec describes (see {@link syntheticTaskSet}, {@link movieLensTaskSet}, {@link offlineStoreTaskSet}). */
export async function loadTaskSet(data: RunDataSpec): Promise<TaskSet> {
  if (data.kind === 'synthetic') {
    return syntheticTaskSet(data);
  }
  if (data.kind === 'movielens') {
    return movieLensTaskSet(data);
  }
  return offlineStoreTaskSet(data);
}

/** How a worker or coordinator turns a data spec into tasks: replaceable so tests can inject bad data. */
export type TaskSetLoader = (data: RunDataSpec) => Promise<TaskSet>;
