import { createLogger } from '@metarec/runtime';
import { openApiDocumentErrors, undocumentedRoutes } from '@metarec/runtime/testing';
import { buildTestServing, type TestServing } from '@metarec/serving/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildApp, ROUTES } from './app.js';

describe('the OpenAPI document of serving', () => {
  let t: TestServing;
  let app: ReturnType<typeof buildApp>;

  beforeAll(async () => {
    t = await buildTestServing();
    app = buildApp({ service: t.service, registry: t.registry, accepting: () => true, logger: createLogger({ name: 'serving-openapi-test', level: 'silent' }) });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
  });

  async function document(): Promise<{ openapi: string; paths: Record<string, Record<string, unknown>> }> {
    const response = await app.inject({ method: 'GET', url: '/openapi.json' });
    expect(response.statusCode).toBe(200);
    return response.json();
  }

  it('documents every registered route with its schemas (a route added without one fails here)', async () => {
    expect(undocumentedRoutes(app, await document())).toEqual([]);
  });

  it('lists every path of ROUTES', async () => {
    const paths = Object.keys((await document()).paths).sort();
    expect(paths).toEqual(Object.values(ROUTES).map((path) => path.replace(/:([A-Za-z]+)/g, '{$1}')).filter((p, i, all) => all.indexOf(p) === i).sort());
  });

  it('is a valid OpenAPI 3.1 document, with the documented error body on the API routes', async () => {
    const doc = await document();
    expect(doc.openapi).toBe('3.1.0');
    expect(await openApiDocumentErrors(doc)).toEqual([]);
    const recommend = doc.paths['/v1/users/{userId}/recommendations']?.['get'] as { responses: Record<string, { content: Record<string, { schema: { properties: Record<string, unknown> } }> }> };
    expect(Object.keys(recommend.responses['400']?.content['application/json']?.schema.properties ?? {})).toEqual(['code', 'message', 'field', 'details']);
  });

  it('serves the docs page from the package', async () => {
    const page = await app.inject({ method: 'GET', url: '/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('swagger-ui');
    expect((await app.inject({ method: 'GET', url: '/docs/static/swagger-ui-bundle.js' })).statusCode).toBe(200);
  });
});
