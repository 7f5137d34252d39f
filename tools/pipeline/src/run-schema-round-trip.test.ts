import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { InteractionSchema, readIpcRecords, type Interaction } from '@metarec/schemas';
import { makeInteraction, malformedInteractions } from '@metarec/schemas/testing';
import { InMemoryKafka } from '@metarec/streaming/testing';
import { afterAll, describe, expect, it } from 'vitest';

import { runSchemaRoundTrip } from './run-schema-round-trip.js';

describe('runSchemaRoundTrip (in-memory Kafka)', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('writes exactly the valid events, time-ordered, and rejects each malformed corpus case with its reason and field', async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'metarec-pipeline-unit-'));
    dirs.push(outDir);
    const bus = new InMemoryKafka();
    const summary = await runSchemaRoundTrip({ streaming: bus, outDir, users: 20, items: 15, seed: 5, runId: 'unit' });

    expect(summary.consumed).toBe(summary.produced);
    expect(summary.accepted).toBe(summary.generated);
    expect(summary.rejectedAsExpected).toBe(true);
    const corpus = malformedInteractions(makeInteraction() as Interaction);
    expect(summary.malformed).toBe(corpus.length);
    const pairs = (list: readonly { code?: string; reason?: string; field: string }[]): string[] => list.map((r) => `${r.code ?? r.reason} ${r.field}`).sort();
    expect(summary.rejections.flatMap((r) => Array<string>(r.count).fill(`${r.code} ${r.field}`)).sort()).toEqual(pairs(corpus));
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
