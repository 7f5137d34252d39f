import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { AliasManager, AliasWatcher, createTokenVerifier, DirectoryArtifactStore, ModelRegistry, RunStore } from '@metarec/registry';
import { createTestDatabase, type TestDatabase } from '@metarec/registry/testing';
import { createLogger, createMetricsRegistry } from '@metarec/runtime';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';

import { buildApp } from '../app.js';

/** Tokens every test registry accepts. */
export const TEST_TOKENS = { trainer: 'trainer-token-0123456789', alice: 'alice-token-abcdefghijk' } as const;

/** A registry app on a private schema and artifact directory, for integration tests. */
export interface TestRegistry {
  readonly app: FastifyInstance;
  readonly db: TestDatabase;
  readonly store: DirectoryArtifactStore;
  readonly artifactDir: string;
  readonly setReady: (ready: boolean) => void;
  close(): Promise<void>;
}

/** Builds the real app (real pg schema, real directory store, LISTEN watcher); does not listen. */
export async function startTestRegistry(databaseUrl: string, options: { readonly readAuth?: boolean; readonly maxUploadBytes?: number; readonly importRoot?: string } = {}): Promise<TestRegistry> {
  const db = await createTestDatabase(databaseUrl);
  const artifactDir = await mkdtemp(join(tmpdir(), 'registry-app-'));
  const store = new DirectoryArtifactStore({ root: artifactDir });
  const channel = `reg_${db.schema}`;
  const watcher = new AliasWatcher({
    connect: async () => {
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      return client;
    },
    channel,
  });
  await watcher.start();
  const logger = createLogger({ name: 'registry-test', level: 'silent' });
  const registry = new ModelRegistry({ pool: db.pool, store, logger });
  const metrics = createMetricsRegistry();
  const aliases = new AliasManager({ pool: db.pool, store, logger, watcher, metrics, notifyChannel: channel, gatePolicy: { scenario: 'new_user', metric: 'ndcg10', better: 'higher', tolerance: 0.01 } });
  let ready = true;
  const app = await buildApp({
    registry,
    runs: new RunStore({ pool: db.pool, store, logger }),
    aliases,
    store,
    logger,
    metrics,
    auth: { verifier: createTokenVerifier(Object.entries(TEST_TOKENS).map(([who, token]) => `${who}:${token}`)), readAuth: options.readAuth ?? false },
    maxUploadBytes: options.maxUploadBytes ?? 64 * 1024 * 1024,
    longPollMaxMs: 30_000,
    importRoot: options.importRoot,
    isReady: () => ready,
    version: 'test',
  });
  return {
    app,
    db,
    store,
    artifactDir,
    setReady: (value) => {
      ready = value;
    },
    async close() {
      await app.close();
      await watcher.close();
      await db.drop();
      await rm(artifactDir, { recursive: true, force: true });
    },
  };
}
