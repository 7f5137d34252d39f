import { AliasManager, DirectoryArtifactStore, ModelRegistry, ROUTES, RunStore } from '@metarec/registry';
import { createLogger, createMetricsRegistry } from '@metarec/runtime';
import { openApiDocumentErrors, undocumentedRoutes } from '@metarec/runtime/testing';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildApp } from './app.js';
import { runRoutes } from './http/runs-routes.js';
import { versionRoutes } from './http/version-routes.js';

/** Where the committed document lives: the registry client's types are generated from it. */
const COMMITTED_DOCUMENT = '../../../libs/registry/openapi/registry.openapi.json';

const auth = { verifier: undefined, readAuth: false };

describe('the OpenAPI document of the registry', () => {
  let app: FastifyInstance;
  let pool: pg.Pool;
  let runs: RunStore;
  let registry: ModelRegistry;

  beforeAll(async () => {
    // Never connects: building the app and its document touches no database.
    pool = new pg.Pool({ connectionString: 'postgres://nobody@127.0.0.1:1/none' });
    const logger = createLogger({ name: 'registry-openapi-test', level: 'silent' });
    const store = new DirectoryArtifactStore({ root: '/nonexistent-registry-openapi-test' });
    registry = new ModelRegistry({ pool, store, logger });
    runs = new RunStore({ pool, store, logger });
    app = await buildApp({
      registry,
      runs,
      aliases: new AliasManager({ pool, store, logger }),
      store,
      logger,
      metrics: createMetricsRegistry(),
      auth,
      maxUploadBytes: 1024,
      importRoot: undefined,
      longPollMaxMs: 1000,
      isReady: () => true,
      version: '0.1.0',
    });
  });
  afterAll(async () => {
    await app?.close();
    await pool?.end();
  });

  async function document(): Promise<Record<string, unknown>> {
    const response = await app.inject({ method: 'GET', url: '/openapi.json' });
    expect(response.statusCode).toBe(200);
    return response.json();
  }

  it('documents every registered route with its schemas (a route added without one fails here)', async () => {
    expect(undocumentedRoutes(app, await document())).toEqual([]);
  });

  it('lists each contract, run and version route once, with its operation id', async () => {
    const paths = (await document())['paths'] as Record<string, Record<string, { operationId?: string }>>;
    const ids = Object.values(paths).flatMap((methods) => Object.values(methods).map((op) => op.operationId));
    // @fastify/swagger suffixes the operation id of an explicit HEAD route with `-head`.
    expect(ids.filter((id) => id !== undefined).map((id) => id?.replace(/-head$/, '')).sort()).toEqual(
      [...Object.keys(ROUTES), ...runRoutes({ runs, auth }).map((route) => route.id), ...versionRoutes({ registry, runs, auth }).map((route) => route.id)].sort(),
    );
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    const doc = await document();
    expect(doc['openapi']).toBe('3.1.0');
    expect(await openApiDocumentErrors(doc)).toEqual([]);
  });

  it('matches the committed copy the typed client is generated from (`npx vitest run -u` rewrites it)', async () => {
    await expect(`${JSON.stringify(await document(), null, 2)}\n`).toMatchFileSnapshot(COMMITTED_DOCUMENT);
  });

  it('serves the docs page from the package, with no CDN', async () => {
    const page = await app.inject({ method: 'GET', url: '/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('swagger-ui');
    expect(page.body).not.toMatch(/https?:\/\/(?!localhost)[^"' ]*\.(js|css)/);
    const bundle = await app.inject({ method: 'GET', url: '/docs/static/swagger-ui-bundle.js' });
    expect(bundle.statusCode).toBe(200);
  });
});
