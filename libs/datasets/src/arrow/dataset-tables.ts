import { ItemProfileSchema, UserProfileSchema, recordsToTable, writeIpcFile } from '@metarec/schemas';
import type { ValidationOptions } from '@metarec/schemas';
import type { Table } from 'apache-arrow';

import type { Dataset } from '../dataset/dataset.js';
import { interactionsToTable } from './interactions-to-table.js';

/** A {@link Dataset} as three Arrow tables on the schemas of `@metarec/schemas`. */
export interface DatasetTables {
  readonly users: Table;
  readonly items: Table;
  readonly interactions: Table;
}

/** Options of {@link datasetToTables}. */
export interface DatasetToTablesOptions {
  /** Clock and rules for validating the profiles (e.g. `nowMs` for generated future periods). @defaultValue `{}` */
  readonly validation?: ValidationOptions;
}

/**
 * Profiles through `recordsToTable` (validated: a few thousand rows), interactions through the
 * columnar {@link interactionsToTable}.
 * @throws SchemaValidationError (from `@metarec/schemas`) naming the first invalid profile.
 */
export function datasetToTables(dataset: Dataset, options: DatasetToTablesOptions = {}): DatasetTables {
  return {
    users: recordsToTable(UserProfileSchema, dataset.users, { validation: options.validation }),
    items: recordsToTable(ItemProfileSchema, dataset.items, { validation: options.validation }),
    interactions: interactionsToTable(dataset),
  };
}

/** The three tables as Arrow IPC files (each with its schema fingerprint), ready to store. */
export function datasetToIpcFiles(dataset: Dataset, options: DatasetToTablesOptions = {}): { users: Uint8Array; items: Uint8Array; interactions: Uint8Array } {
  const tables = datasetToTables(dataset, options);
  return { users: writeIpcFile(tables.users), items: writeIpcFile(tables.items), interactions: writeIpcFile(tables.interactions) };
}
