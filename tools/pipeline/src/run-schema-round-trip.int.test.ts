import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { checkService } from '@metarec/runtime/testing';
import { InteractionSchema, readIpcRecords } from '@metarec/schemas';
import { createKafkaClient, parseBrokerList } from '@metarec/streaming';
import { kafkaClientKindsUnderTest } from '@metarec/streaming/testing';
import { afterAll, describe, expect, it } from 'vitest';

import { runSchemaRoundTrip, type SchemaRoundTripStage } from './run-schema-round-trip.js';

const kafka = await checkService('kafka');
if (!kafka.available) {
  console.warn(`skipping pipeline int test: ${kafka.skipReason}`);
}

describe.skipIf(!kafka.available)('runSchemaRoundTrip against the real broker', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('round-trips every valid event through Kafka into a fingerprinted Arrow file and rejects the malformed ones', async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'metarec-pipeline-'));
    dirs.push(outDir);
    const streaming = await createKafkaClient({ kind: kafkaClientKindsUnderTest()[0], brokers: parseBrokerList(kafka.address), clientId: 'pipeline-int-test' });
    const progress: Record<SchemaRoundTripStage, number> = { produce: 0, consume: 0 };
    const summary = await runSchemaRoundTrip({
      streaming,
      outDir,
      users: 30,
      items: 20,
      seed: 3,
      sendBatchSize: 100,
      onProgress: (stage, done) => {
        progress[stage] = done;
      },
    });

    expect(summary.produced).toBe(summary.generated + summary.malformed);
    expect(summary.consumed).toBe(summary.produced);
    expect(summary.accepted).toBe(summary.generated);
    expect(summary.rejectedAsExpected).toBe(true);
    expect(progress).toEqual({ produce: summary.produced, consume: summary.consumed });

    const records = readIpcRecords(new Uint8Array(await readFile(summary.file.path)), InteractionSchema);
    expect(records).toHaveLength(summary.accepted);
    expect(summary.file.fingerprint).toBe(InteractionSchema.fingerprint);
    const times = records.map((record) => record.timestamp_ms);
    expect(times).toEqual([...times].sort((a, b) => a - b));

    const admin = await streaming.createTopicAdmin();
    expect(await admin.listTopics()).not.toContain(summary.topic);
    await admin.close();
  });
});
