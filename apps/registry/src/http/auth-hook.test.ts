import { createTokenVerifier } from '@metarec/registry';
import { fastify, type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type AuthSettings, authHook, registerBearerAuth } from './auth-hook.js';
import { installErrorHandler } from './error-map.js';

const ALICE_TOKEN = 'alice-secret-token-0123456789';

async function appWith(auth: AuthSettings): Promise<FastifyInstance> {
  const app = fastify();
  installErrorHandler(app);
  await registerBearerAuth(app);
  app.post('/write', { onRequest: authHook(auth, 'write') }, (request) => ({ principal: request.principal }));
  app.get('/read', { onRequest: authHook(auth, 'read') }, (request) => ({ principal: request.principal }));
  await app.ready();
  return app;
}

describe('authHook (@fastify/bearer-auth + the registry token verifier)', () => {
  let app: FastifyInstance;
  let noTokens: FastifyInstance;
  beforeAll(async () => {
    app = await appWith({ verifier: createTokenVerifier([`alice:${ALICE_TOKEN}`, 'bob:bob-secret-token-0123456789ab']), readAuth: false });
    noTokens = await appWith({ verifier: undefined, readAuth: false });
  });
  afterAll(async () => {
    await app.close();
    await noTokens.close();
  });

  const call = async (target: FastifyInstance, method: 'GET' | 'POST', url: string, authorization?: string): Promise<[number, unknown]> => {
    const response = await target.inject({ method, url, ...(authorization === undefined ? {} : { headers: { authorization } }), ...(method === 'POST' ? { payload: {} } : {}) });
    return [response.statusCode, response.json()];
  };

  it('answers a write 401 without a usable bearer token and 403 with a wrong one, in the registry error body', async () => {
    const missing = { code: 'REG_AUTH_MISSING', message: 'a bearer token is required', field: 'authorization' };
    expect(await call(app, 'POST', '/write')).toEqual([401, missing]);
    expect(await call(app, 'POST', '/write', 'Basic YWxpY2U6eA==')).toEqual([401, missing]);
    expect(await call(app, 'POST', '/write', 'Bearer')).toEqual([401, missing]);
    expect(await call(app, 'POST', '/write', 'Bearer ')).toEqual([401, missing]);
    expect(await call(app, 'POST', '/write', 'Bearer wrong-token-0000000000')).toEqual([403, { code: 'REG_AUTH_INVALID', message: 'the bearer token is not valid', field: 'authorization' }]);
  });

  it('names the principal of the token (scheme case-insensitive)', async () => {
    expect(await call(app, 'POST', '/write', `Bearer ${ALICE_TOKEN}`)).toEqual([200, { principal: 'alice' }]);
    expect(await call(app, 'POST', '/write', `bearer ${ALICE_TOKEN}`)).toEqual([200, { principal: 'alice' }]);
    expect(await call(app, 'POST', '/write', 'Bearer bob-secret-token-0123456789ab')).toEqual([200, { principal: 'bob' }]);
  });

  it('lets open reads through as anonymous without a usable token, but refuses a wrong one', async () => {
    expect(await call(app, 'GET', '/read')).toEqual([200, { principal: 'anonymous' }]);
    expect(await call(app, 'GET', '/read', 'Basic YWxpY2U6eA==')).toEqual([200, { principal: 'anonymous' }]);
    expect(await call(app, 'GET', '/read', `Bearer ${ALICE_TOKEN}`)).toEqual([200, { principal: 'alice' }]);
    expect((await call(app, 'GET', '/read', 'Bearer wrong-token-0000000000'))[0]).toBe(403);
  });

  it('refuses every write when no tokens are configured and keeps reads open', async () => {
    expect(await call(noTokens, 'POST', '/write', `Bearer ${ALICE_TOKEN}`)).toEqual([
      401,
      { code: 'REG_AUTH_MISSING', message: 'this registry has no tokens configured (REGISTRY_TOKENS); writes are disabled', field: 'authorization' },
    ]);
    expect(await call(noTokens, 'GET', '/read', `Bearer ${ALICE_TOKEN}`)).toEqual([200, { principal: 'anonymous' }]);
  });
});
