import type { EncodedRows, UserTask } from '@metarec/schemas';
import { InteractionSchema, ItemProfileSchema, UserProfileSchema, readIpc, recordsToTable, tableToRecords } from '@metarec/schemas';
import { describe, expect, it } from 'vitest';

import { interactionRecords } from '../dataset/dataset.js';
import { FeatureEncoder } from '../encoding/feature-encoder.js';
import { importMovieLens } from '../movielens/import-movielens.js';
import { generateSynthetic } from '../synthetic/generate-synthetic.js';
import { buildUserTasks } from '../tasks/build-user-tasks.js';
import { findMovieLens100k } from '../testing/movielens-100k.js';
import { datasetToIpcFiles } from './dataset-tables.js';
import { interactionsToTable } from './interactions-to-table.js';
import { tableToInteractions } from './table-to-interactions.js';

/** A task's content as one string (deep-equality on 600 tasks of typed arrays takes seconds). */
function fingerprint(task: UserTask): string {
  const rows = (r: EncodedRows): string =>
    [r.userIndices, r.itemIndices, r.itemCategories, r.itemNumeric, r.labels].map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64')).join('|') + r.itemIds.join(',');
  return `${task.userId}:${rows(task.support)}:${rows(task.query)}`;
}

const rowsById = (ids: readonly string[]): Map<string, number> => new Map(ids.map((id, row) => [id, row]));

describe('interactions as Arrow tables', () => {
  const data = generateSynthetic({ seed: 5, users: 120, items: 80, interactionsPerUser: { min: 5, max: 30 }, feedback: 'implicit' });

  it('writes the same records as recordsToTable, through IPC with a verified fingerprint', () => {
    const files = datasetToIpcFiles(data);
    const { table } = readIpc(files.interactions, InteractionSchema);
    expect(table.numRows).toBe(data.interactions.count);
    const expected = tableToRecords(InteractionSchema, recordsToTable(InteractionSchema, interactionRecords(data)));
    expect(tableToRecords(InteractionSchema, table)).toEqual(expected);
    expect(tableToRecords(UserProfileSchema, readIpc(files.users, UserProfileSchema).table)).toEqual(data.users);
    expect(tableToRecords(ItemProfileSchema, readIpc(files.items, ItemProfileSchema).table)).toHaveLength(data.items.length);
  });

  it('reads a table back into the same columns, from our writer and from recordsToTable', () => {
    const users = rowsById(data.users.map((u) => u.user_id));
    const items = rowsById(data.items.map((i) => i.item_id));
    for (const table of [interactionsToTable(data), recordsToTable(InteractionSchema, interactionRecords(data))]) {
      const columns = tableToInteractions(table, users, items);
      expect(columns.count).toBe(data.interactions.count);
      expect(Array.from(columns.userRows)).toEqual(Array.from(data.interactions.userRows));
      expect(Array.from(columns.itemRows)).toEqual(Array.from(data.interactions.itemRows));
      expect(Array.from(columns.eventTypes)).toEqual(Array.from(data.interactions.eventTypes));
      expect(Array.from(columns.values)).toEqual(Array.from(data.interactions.values));
      expect(Array.from(columns.timestampsMs)).toEqual(Array.from(data.interactions.timestampsMs));
    }
  });

  it('reads sliced multi-batch tables (over 65,536 rows) without IPC', () => {
    const large = generateSynthetic({ seed: 6, users: 1200, items: 300, interactionsPerUser: { min: 60, max: 100 }, feedback: 'implicit' });
    const table = interactionsToTable(large);
    expect(table.batches.length).toBeGreaterThan(1);
    const columns = tableToInteractions(table, rowsById(large.users.map((u) => u.user_id)), rowsById(large.items.map((i) => i.item_id)));
    for (const name of ['userRows', 'itemRows', 'eventTypes', 'values', 'timestampsMs'] as const) {
      expect(Buffer.from(columns[name].buffer).equals(Buffer.from(large.interactions[name].buffer))).toBe(true);
    }
  });

  it('refuses ids without a profile row, or drops them when asked', () => {
    const table = interactionsToTable(data);
    const users = rowsById(data.users.slice(1).map((u) => u.user_id));
    const items = rowsById(data.items.map((i) => i.item_id));
    expect(() => tableToInteractions(table, users, items)).toThrow(/user_id "u0" is unknown/);
    const kept = tableToInteractions(table, users, items, { unknownIds: 'skip' });
    expect(kept.count).toBe(data.interactions.userRows.filter((u) => u !== 0).length);
  });

  const ml100k = findMovieLens100k();
  it.skipIf(ml100k === undefined)('builds the same ML-100K tasks from the Arrow table as from the columns', async () => {
    const ml = await importMovieLens(ml100k as string);
    const encoder = FeatureEncoder.fit({ users: ml.users, items: ml.items });
    const users = encoder.encodeUsers(ml.users);
    const items = encoder.encodeItems(ml.items);
    const started = performance.now();
    const table = interactionsToTable(ml);
    const columns = tableToInteractions(readIpc(datasetToIpcFiles(ml).interactions, InteractionSchema).table, users.rowById, items.rowById);
    const elapsed = performance.now() - started;
    const fromTable = buildUserTasks({ interactions: { ...columns, labels: columns.values }, users, items }, { seed: 3 });
    const direct = buildUserTasks({ interactions: { ...ml.interactions, labels: ml.interactions.values }, users, items }, { seed: 3 });
    expect(fromTable.tasks.map(fingerprint)).toEqual(direct.tasks.map(fingerprint));
    expect(table.numRows).toBe(100_000);
    console.info(`ML-100K interactions → Arrow → IPC → columns: ${elapsed.toFixed(0)} ms`);
  });
});
