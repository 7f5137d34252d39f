import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { InteractionSchema, readIpcRecords } from '@metarec/schemas';
import { InMemoryKafka } from '@metarec/streaming/testing';
import { afterAll, describe, expect, it } from 'vitest';

import { runSchemaRoundTrip } from './run-schema-round-trip.js';

describe('runSchemaRoundTrip (in-memory Kafka)', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('writes exactly the valid events, time-ordered, and names each malformed event’s field', async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'metarec-pipeline-unit-'));
    dirs.push(outDir);
    const bus = new InMemoryKafka();
    const summary = await runSchemaRoundTrip({ streaming: bus, outDir, users: 20, items: 15, seed: 5, runId: 'unit' });

    expect(summary.consumed).toBe(summary.produced);
    expect(summary.accepted).toBe(summary.generated);
    expect(summary.rejectedAsExpected).toBe(true);
    expect(summary.rejections.map((r) => r.field).sort()).toEqual(['event_type', 'payload', 'sessionId', 'timestamp_ms', 'user_id', 'value', 'value']);
    const records = readIpcRecords(new Uint8Array(await readFile(summary.file.path)), InteractionSchema);
    expect(records).toHaveLength(summary.generated);
    expect(summary.file).toMatchObject({ rows: summary.generated, fingerprint: InteractionSchema.fingerprint, schema: 'interaction/v1' });
    expect(summary.file.columns.map((c) => c.name)).toEqual([...InteractionSchema.fieldNames]);
    const times = records.map((r) => r.timestamp_ms);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    // The run topic is removed afterwards.
    expect(await (await bus.createTopicAdmin()).listTopics()).toEqual([]);
  });

  it('is deterministic for a seed: same events, same file rows', async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'metarec-pipeline-unit-'));
    dirs.push(outDir);
    const read = async (runId: string): Promise<unknown[]> => {
      const summary = await runSchemaRoundTrip({ streaming: new InMemoryKafka(), outDir, users: 10, items: 8, seed: 9, runId });
      return readIpcRecords(new Uint8Array(await readFile(summary.file.path)), InteractionSchema);
    };
    expect(await read('a')).toEqual(await read('b'));
  });
});
