// Checks the services that `npm run services:up` started are the ones the rest of the repo
// relies on: Redis configured for BullMQ, Kafka answering our client, PostgreSQL with the
// metarec database, and the script's own status/env commands.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { checkService } from '@metarec/runtime/testing';
import { createKafkaClient, parseBrokerList } from '@metarec/streaming';
import { kafkaClientKindsUnderTest } from '@metarec/streaming/testing';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const SERVICES_SH = fileURLToPath(new URL('../bin/services.sh', import.meta.url));

const [kafka, redis, postgres] = await Promise.all([checkService('kafka'), checkService('redis'), checkService('postgres')]);
for (const check of [kafka, redis, postgres]) {
  if (!check.available) {
    console.warn(`skipping: ${check.skipReason}`);
  }
}

describe.skipIf(!redis.available)('redis from services:up', () => {
  it('reads back what it wrote, with noeviction (BullMQ) and AOF on', async () => {
    const client = new Redis(redis.address, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await client.connect();
    try {
      const key = `metarec:test:${randomUUID()}`;
      await client.set(key, 'value', 'EX', 60);
      expect(await client.get(key)).toBe('value');
      await client.del(key);
      expect(await client.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
      expect(await client.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
    } finally {
      await client.quit();
    }
  });
});

describe.skipIf(!kafka.available)('kafka from services:up', () => {
  it('answers a topic admin and refuses implicit topic creation', async () => {
    const client = await createKafkaClient({ kind: kafkaClientKindsUnderTest()[0], brokers: parseBrokerList(kafka.address), clientId: 'dev-services-int-test', retries: 1 });
    const admin = await client.createTopicAdmin();
    const producer = await client.createProducer();
    try {
      expect(Array.isArray(await admin.listTopics())).toBe(true);
      // auto.create.topics.enable=false: a send to an unknown topic fails instead of creating it.
      const sent = await producer.send(`metarec-missing-${randomUUID()}`, [{ key: 'k', value: 'v' }]).catch((error: unknown) => error);
      expect(sent).toMatchObject({ code: 'STREAM_SEND_FAILED' });
    } finally {
      await producer.close();
      await admin.close();
    }
  });
});

describe.skipIf(!postgres.available)('postgres from services:up', () => {
  it('accepts the metarec role on the metarec database over TCP', async () => {
    const { stdout } = await run('psql', [postgres.address, '-Atc', 'select current_user, current_database()']);
    expect(stdout.trim()).toBe('metarec|metarec');
  });
});

describe.skipIf(!(kafka.available && redis.available && postgres.available))('services.sh', () => {
  it('status reports all three up and env prints the addresses tests read', async () => {
    const status = await run('bash', [SERVICES_SH, 'status']);
    expect(status.stdout).toMatch(/^kafka +up/m);
    expect(status.stdout).toMatch(/^redis +up/m);
    expect(status.stdout).toMatch(/^postgres +up/m);
    const env = await run('bash', [SERVICES_SH, 'env']);
    expect(env.stdout).toMatch(/^export KAFKA_BROKERS=localhost:\d+$/m);
    expect(env.stdout).toMatch(/^export REDIS_URL=redis:\/\/localhost:\d+$/m);
    expect(env.stdout).toMatch(/^export DATABASE_URL=postgres:\/\/\S+$/m);
  });
});
