import { fastify, type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';

import { openApiDocumentErrors, undocumentedRoutes } from '../testing/openapi-coverage.js';
import { registerOpenApi } from './register-openapi.js';
import { isRequestValidationError } from './request-validation-error.js';

const errorBody = z.object({ code: z.string(), field: z.string().optional() });

/** A tiny app: one documented route, and whatever `extra` adds. */
async function buildApp(extra: (app: FastifyInstance) => void = () => undefined): Promise<FastifyInstance> {
  const app = fastify();
  app.setErrorHandler((error, _request, reply) =>
    isRequestValidationError(error)
      ? reply.status(400).send({ code: 'INVALID', field: `${error.part}:${error.zodError.issues[0]?.path.map(String).join('.') ?? ''}` })
      : reply.status(500).send({ code: 'INTERNAL' }),
  );
  await registerOpenApi(app, { title: 'test', version: '1.0.0' });
  app.post(
    '/things/:id',
    {
      schema: {
        params: z.object({ id: z.string().regex(/^\d+$/) }),
        body: z.object({ items: z.array(z.object({ n: z.number() })), label: z.string().default('none') }),
        response: { 200: z.object({ id: z.string(), label: z.string(), count: z.number() }), 400: errorBody },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const body = request.body as { items: unknown[]; label: string };
      return { id, label: body.label, count: body.items.length, secret: 'not in the schema' };
    },
  );
  extra(app);
  await app.ready();
  return app;
}

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('registerOpenApi', () => {
  it('validates with zod, applies defaults, and strips response fields the schema does not list', async () => {
    app = await buildApp();
    const ok = await app.inject({ method: 'POST', url: '/things/7', payload: { items: [{ n: 1 }] } });
    expect(ok.json()).toEqual({ id: '7', label: 'none', count: 1 });
  });

  it('hands a zod failure to the error handler with the request part and the issue path (indexes kept)', async () => {
    app = await buildApp();
    const badBody = await app.inject({ method: 'POST', url: '/things/7', payload: { items: [{ n: 1 }, { n: 'x' }] } });
    expect([badBody.statusCode, badBody.json()]).toEqual([400, { code: 'INVALID', field: 'body:items.1.n' }]);
    const badParam = await app.inject({ method: 'POST', url: '/things/x', payload: { items: [] } });
    expect(badParam.json()).toEqual({ code: 'INVALID', field: 'params:id' });
  });

  it('serves a valid OpenAPI 3.1 document in which every route is documented', async () => {
    app = await buildApp();
    const doc: unknown = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(await openApiDocumentErrors(doc)).toEqual([]);
    expect(undocumentedRoutes(app, doc)).toEqual([]);
  });

  it('reports a route added without schemas', async () => {
    app = await buildApp((a) => {
      a.get('/bare/:name', async () => ({ ok: true }));
    });
    const doc: unknown = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(undocumentedRoutes(app, doc)).toEqual([
      'GET /bare/:name: no response schema for its success status',
      'GET /bare/:name: has path parameters but no params schema',
      'GET /bare/:name: takes input but documents no 400 error body',
    ]);
  });

  it('reports a route that takes input but documents no error body', async () => {
    app = await buildApp((a) => {
      a.get('/quiet', { schema: { querystring: z.object({ q: z.string() }), response: { 200: z.object({ ok: z.boolean() }) } } }, async () => ({ ok: true }));
    });
    const doc: unknown = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(undocumentedRoutes(app, doc)).toEqual(['GET /quiet: takes input but documents no 400 error body']);
  });

  it('flags an invalid document', async () => {
    expect((await openApiDocumentErrors({ openapi: '3.1.0', paths: {} })).length).toBeGreaterThan(0);
  });
});
