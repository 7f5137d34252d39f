// The real-data path at tiny size: a generic ratings file (libs/datasets' importer) replayed through
// Kafka in event-time order → ingest → training → registry → serving → the HTML run report.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { checkService } from '@metarec/runtime/testing';
import { KafkaJsClient, parseBrokerList } from '@metarec/streaming';
import { localRedisAvailable, startLocalRedis, type LocalRedis } from '@metarec/training/testing';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runWholePipeline, type WholePipelineSummary } from './run-whole-pipeline.js';

const [kafka, redis, postgres] = await Promise.all([checkService('kafka'), checkService('redis'), checkService('postgres')]);
const available = kafka.available && redis.available && postgres.available && localRedisAvailable();
const why = [kafka, redis, postgres].map((s) => (s.available ? '' : s.skipReason)).filter(Boolean).join('; ') || (localRedisAvailable() ? '' : 'redis-server not installed');

const USERS = 90;
const ITEMS = 70;

/**
 * A ratings file as a user would bring one: header `userId,itemId,rating,timestamp` (seconds), lines
 * out of time order, ratings from a user taste × item quality structure so there is something to learn.
 */
function ratingsCsv(): string {
  let seed = 11;
  const rand = (): number => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const quality = Array.from({ length: ITEMS }, () => rand() * 2 - 1);
  const lines: string[] = [];
  for (let u = 0; u < USERS; u++) {
    const taste = rand() - 0.5;
    const count = 16 + Math.floor(rand() * 20);
    const seen = new Set<number>();
    while (seen.size < count) {
      seen.add(Math.floor(rand() * ITEMS));
    }
    for (const i of seen) {
      const rating = Math.min(5, Math.max(1, Math.round(3 + 1.3 * quality[i] + taste + (rand() - 0.5))));
      lines.push(`user-${u},item-${i},${rating},${1_500_000_000 + Math.floor(rand() * 90 * 86_400)}`);
    }
  }
  return `userId,itemId,rating,timestamp\n${lines.join('\n')}\n`;
}

describe.skipIf(!available)(`whole pipeline on a ratings file ${available ? '' : `(skipped: ${why})`}`, () => {
  let workDir: string;
  let trainingRedis: LocalRedis;
  let summary: WholePipelineSummary | undefined;
  const streaming = new KafkaJsClient({ brokers: parseBrokerList(kafka.address), clientId: 'pipeline-file-e2e' });
  beforeAll(async () => {
    workDir = await mkdtemp(path.join(tmpdir(), 'metarec-e2e-file-'));
    await writeFile(path.join(workDir, 'ratings.csv'), ratingsCsv());
    trainingRedis = await startLocalRedis();
  });
  afterAll(async () => {
    await trainingRedis?.stop();
    await rm(workDir, { recursive: true, force: true });
    if (summary !== undefined) {
      const r = summary.resources;
      const admin = await streaming.createTopicAdmin();
      await admin.deleteTopics(r.topics);
      await admin.close();
      const client = new Redis(redis.address);
      const keys = await client.keys(`${r.keyPrefix}*`);
      for (let i = 0; i < keys.length; i += 1000) {
        await client.del(...keys.slice(i, i + 1000));
      }
      await client.quit();
      const db = new pg.Client({ connectionString: postgres.address });
      await db.connect();
      await db.query(`DROP SCHEMA IF EXISTS ${r.registrySchema} CASCADE`);
      await db.end();
    }
  });

  it('imports the file, replays it through Kafka and ingest, trains, serves and writes the run report', async () => {
    const lines: string[] = [];
    const csv = await readFile(path.join(workDir, 'ratings.csv'), 'utf8');
    const ratings = csv.trim().split('\n').length - 1;
    summary = await runWholePipeline({
      streaming,
      brokers: parseBrokerList(kafka.address),
      redisUrl: redis.address,
      trainingRedisUrl: trainingRedis.url,
      databaseUrl: postgres.address,
      workDir: path.join(workDir, 'runs'),
      world: { kind: 'file', ratings: path.join(workDir, 'ratings.csv') },
      trainSteps: 4,
      latencyRequests: 30,
      log: (line) => lines.push(line),
    });
    expect(summary.data).toMatchObject({ name: 'file ratings.csv', users: USERS, items: ITEMS, events: ratings, newUsers: 0, newItems: 0 });
    expect(summary.data.span.firstMs).toBeGreaterThanOrEqual(1_500_000_000_000);
    expect(lines).toContain('load file…');
    // Every rating went through Kafka into the offline store (the co-occurrence job read them all).
    expect(summary.coOccurrence.interactions).toBe(ratings);
    expect(summary.training.registered?.version).toBe(1);
    expect(summary.existingUser.response.path).toBe('adapted');
    expect(summary.newUser.after.path).toBe('adapted');
    expect(summary.latency.samplesMs).toHaveLength(30);
    // The report: one self-contained file in the run directory, every section from this run.
    expect(summary.urls.report).toBe(path.join(workDir, 'runs', summary.runId, 'report.html'));
    const html = await readFile(summary.urls.report, 'utf8');
    for (const section of ['data', 'training', 'evaluation', 'cold-start', 'latency', 'lineage']) {
      expect(html).toContain(`<h2 id="${section}">`);
    }
    expect(html).toContain(`<b>file ratings.csv</b>: ${USERS} users, ${ITEMS} items, ${ratings} interactions`);
    expect(html).toContain('4 meta-steps');
    expect(html).toContain(`melu v1, alias production`);
    expect(html).not.toMatch(/<script|<link |src=/);
    expect(html).not.toContain(workDir);
    // Every app is a real process: on a busy 2-core machine their starts alone can take minutes.
  }, 600_000);
});
