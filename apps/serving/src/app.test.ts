import { connect, type AddressInfo } from 'node:net';
import { Writable } from 'node:stream';

import { createLogger, type Logger } from '@metarec/runtime';
import { ID_MAX_LENGTH } from '@metarec/schemas';
import { ServingService } from '@metarec/serving';
import { buildTestServing, InMemoryFeatureReader, TEST_FEEDBACK_AUTHORIZATION, TEST_FEEDBACK_TOKEN, type TestServing } from '@metarec/serving/testing';
import { InMemoryKafka } from '@metarec/streaming/testing';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildApp } from './app.js';

let t: TestServing;
let accepting = true;
let app: ReturnType<typeof buildApp>;
const silent = createLogger({ name: 't', level: 'silent' });

/** A logger whose JSON lines are kept for assertions. */
function capturingLogger(): { logger: Logger; lines: () => Array<Record<string, unknown>> } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done): void {
      chunks.push(chunk.toString());
      done();
    },
  });
  const logger = createLogger({ name: 'serving-test', level: 'info', destination: stream });
  return { logger, lines: () => chunks.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) };
}

/** Writes raw bytes to the server and reads until it closes (inject() skips Node's HTTP parser). */
async function rawExchange(port: number, raw: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => socket.end(raw));
    const parts: Buffer[] = [];
    socket.on('data', (part: Buffer) => parts.push(part));
    socket.on('close', () => resolve(Buffer.concat(parts).toString('utf8')));
    socket.on('error', reject);
  });
}

beforeAll(async () => {
  t = await buildTestServing();
  app = buildApp({ service: t.service, registry: t.registry, accepting: () => accepting, logger: silent });
});

afterAll(async () => {
  await app.close();
  await t.close();
});

describe('serving app', () => {
  it('answers recommendations with the path and the model version', async () => {
    const response = await app.inject({ method: 'GET', url: `/v1/users/${t.world.warmUserIds[0]}/recommendations?k=7` });
    expect(response.statusCode).toBe(200);
    const body = response.json<{ items: unknown[]; path: string; modelVersion: number }>();
    expect(body.items).toHaveLength(7);
    expect(body.path).toBe('adapted');
    expect(body.modelVersion).toBe(1);
  });

  it('reports per-stage timings in a Server-Timing header, not in the body', async () => {
    const response = await app.inject({ method: 'GET', url: `/v1/users/${t.world.warmUserIds[1]}/recommendations?k=3` });
    expect(response.statusCode).toBe(200);
    const header = String(response.headers['server-timing']);
    for (const stage of ['user', 'candidates', 'profiles', 'adapt', 'score', 'rank', 'handler']) {
      expect(header).toMatch(new RegExp(`(^|, )${stage};dur=\\d+\\.\\d{3}`));
    }
    expect(Object.keys(response.json<Record<string, unknown>>()).sort()).toEqual(['candidateCount', 'degraded', 'feedbackToken', 'items', 'modelVersion', 'path', 'supportCount', 'userId']);
  });

  it('takes context in the POST form and defaults k to 20', async () => {
    const first = await app.inject({ method: 'POST', url: '/v1/users/new-user/recommendations', payload: {} });
    expect(first.json<{ items: { itemId: string }[] }>().items).toHaveLength(20);
    const top = first.json<{ items: { itemId: string }[] }>().items[0].itemId;
    const second = await app.inject({ method: 'POST', url: '/v1/users/new-user/recommendations', payload: { k: 5, exclude: [top] } });
    expect(second.statusCode).toBe(200);
    expect(second.json<{ items: { itemId: string }[] }>().items.map((i) => i.itemId)).not.toContain(top);
  });

  it.each([
    ['GET', '/v1/users/u1/recommendations?k=0', undefined, 'k'],
    ['GET', '/v1/users/u1/recommendations?k=abc', undefined, 'query.k'],
    ['GET', '/v1/users/u1/recommendations?k=5&colour=red', undefined, 'query.colour'],
    ['GET', `/v1/users/${'x'.repeat(300)}/recommendations`, undefined, 'userId'],
    ['POST', '/v1/users/u1/recommendations', { k: 5, extra: true }, 'body.extra'],
    ['POST', '/v1/users/u1/recommendations', { exclude: 'i1' }, 'body.exclude'],
    ['GET', '/v1/users/u1/onboarding?k=1000', undefined, 'k'],
    ['POST', '/v1/feedback', { user_id: 'u1', item_id: 'i1', event_type: 'click', timestamp_ms: Date.now(), colour: 'red' }, 'colour'],
    ['POST', '/v1/feedback', { user_id: 'u1', item_id: 'i1', event_type: 'rating', value: 7, timestamp_ms: Date.now() }, 'value'],
    ['POST', '/v1/feedback', { item_id: 'i1', event_type: 'click', timestamp_ms: Date.now() }, 'user_id'],
  ] as const)('%s %s %j → 400 naming %s', async (method, url, payload, field) => {
    const response = await app.inject({ method, url, headers: { authorization: TEST_FEEDBACK_AUTHORIZATION }, ...(payload === undefined ? {} : { payload }) });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'SERVING_INPUT_INVALID', field });
  });

  it('answers 400 on a body that is not JSON', async () => {
    const response = await app.inject({ method: 'POST', url: '/v1/feedback', headers: { 'content-type': 'application/json', authorization: TEST_FEEDBACK_AUTHORIZATION }, payload: '{"user_id":' });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'SERVING_INPUT_INVALID', field: 'body' });
  });

  it('accepts feedback with 202 and the Kafka offset, then adapts the next answer', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/v1/feedback',
      headers: { authorization: TEST_FEEDBACK_AUTHORIZATION },
      payload: { user_id: 'fresh', item_id: t.world.dataset.items[0].item_id, event_type: 'rating', value: 4, timestamp_ms: Date.now() },
    });
    expect(response.statusCode).toBe(202);
    expect(response.json()).toMatchObject({ accepted: true, offset: '0' });
    const next = await app.inject({ method: 'GET', url: '/v1/users/fresh/recommendations?k=3' });
    expect(next.json()).toMatchObject({ path: 'adapted', supportCount: 1 });
  });

  it('answers onboarding with evidence candidates', async () => {
    const response = await app.inject({ method: 'GET', url: '/v1/users/newcomer/onboarding?k=5' });
    expect(response.statusCode).toBe(200);
    expect(response.json<{ items: unknown[] }>().items).toHaveLength(5);
  });

  it('exposes latency histograms per route, cache, model version and adaptation metrics', async () => {
    const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(text).toMatch(/metarec_serving_http_request_duration_seconds_bucket\{[^}]*route="\/v1\/users\/:userId\/recommendations"/);
    expect(text).toMatch(/metarec_serving_user_cache_total\{result="miss"\} \d+/);
    expect(text).toMatch(/metarec_serving_model_version 1/);
    expect(text).toMatch(/metarec_serving_adaptation_steps_total [1-9]/);
    expect(text).toMatch(/metarec_serving_live_tensors \d+/);
  });

  it('is healthy always, ready only with a model and while accepting', async () => {
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    accepting = false;
    expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(503);
    accepting = true;
    const kafka = new InMemoryKafka();
    const empty = new ServingService({ reader: new InMemoryFeatureReader(), producer: await kafka.createProducer(), logger: silent, registry: new Registry() });
    const bare = buildApp({ service: empty, registry: new Registry(), accepting: () => true, logger: silent });
    expect((await bare.inject({ method: 'GET', url: '/readyz' })).json()).toEqual({ ready: false, modelVersion: null });
    expect((await bare.inject({ method: 'GET', url: '/v1/users/u/recommendations' })).statusCode).toBe(503);
    await bare.close();
  });

  it('logs every 5xx once with its code and route, never the payload, and gives a retry time when it knows one', async () => {
    const { logger, lines } = capturingLogger();
    const down = new ServingService({
      reader: new InMemoryFeatureReader(),
      producer: { send: () => Promise.reject(new Error('send to metarec.interactions failed: broker down')), close: async () => undefined },
      logger: silent,
      registry: new Registry(),
      feedback: { cooldownMs: 3_000, auth: { tokens: [`test:${TEST_FEEDBACK_TOKEN}`] } },
    });
    const bare = buildApp({ service: down, registry: new Registry(), accepting: () => true, logger });
    const event = { user_id: 'secret-user', item_id: 'i1', event_type: 'click', timestamp_ms: Date.now() };
    const feedback = await bare.inject({ method: 'POST', url: '/v1/feedback', headers: { authorization: TEST_FEEDBACK_AUTHORIZATION }, payload: event });
    expect(feedback.statusCode).toBe(503);
    expect(feedback.headers['retry-after']).toBe('3');
    expect(feedback.body).not.toMatch(/metarec\.interactions|broker/);
    const notReady = await bare.inject({ method: 'GET', url: '/v1/users/u/recommendations' });
    expect(notReady.statusCode).toBe(503);
    const logged = lines().filter((l) => l['msg'] === 'request failed');
    expect(logged.map((l) => [l['code'], l['route'], l['status']])).toEqual([
      ['SERVING_FEEDBACK_UNAVAILABLE', '/v1/feedback', 503],
      ['SERVING_NOT_READY', '/v1/users/:userId/recommendations', 503],
    ]);
    expect(JSON.stringify(lines())).not.toContain('secret-user');
    // A 4xx is the caller's problem: not logged.
    await bare.inject({ method: 'GET', url: '/v1/users/u/recommendations?k=zero' });
    expect(lines().filter((l) => l['msg'] === 'request failed')).toHaveLength(2);
    await bare.close();
  });

  it('answers an unknown route with the documented error body', async () => {
    const response = await app.inject({ method: 'GET', url: '/v1/nothing-here?x=1' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ code: 'SERVING_NOT_FOUND', message: 'no route GET /v1/nothing-here' });
  });

  it("answers what Node's parser and fastify's router refuse (431, 414, a malformed request) in the documented body", async () => {
    const listening = buildApp({ service: t.service, registry: t.registry, accepting: () => true, logger: silent });
    await listening.listen({ host: '127.0.0.1', port: 0 });
    const { port } = listening.server.address() as AddressInfo;
    try {
      const cases: Array<[string, string, number, string, string]> = [
        // Headers beyond Node's 16 KiB limit: refused by the HTTP parser before fastify sees the request.
        ['headers', `GET /healthz HTTP/1.1\r\nhost: x\r\nx-filler: ${'a'.repeat(20_000)}\r\n\r\n`, 431, 'SERVING_HEADERS_TOO_LARGE', 'headers'],
        // A path parameter beyond the router's maxParamLength.
        ['long id', `GET /v1/users/${'u'.repeat(4 * ID_MAX_LENGTH + 1)}/recommendations HTTP/1.1\r\nhost: x\r\n\r\n`, 414, 'SERVING_URI_TOO_LONG', 'url'],
        // Not HTTP at all.
        ['garbage', 'HELLO\r\n\r\n', 400, 'SERVING_INPUT_INVALID', 'request'],
      ];
      for (const [name, raw, status, code, field] of cases) {
        const answer = await rawExchange(port, raw);
        const [head = '', body = ''] = answer.split('\r\n\r\n');
        expect(head.split('\r\n')[0], name).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
        expect(head.toLowerCase(), name).toContain('content-type: application/json');
        const parsed = JSON.parse(body) as Record<string, unknown>;
        expect({ keys: Object.keys(parsed).sort(), code: parsed['code'], field: parsed['field'] }, name).toEqual({ keys: ['code', 'field', 'message'], code, field });
      }
    } finally {
      await listening.close();
    }
  });

  it('takes k only as decimal digits', async () => {
    for (const k of ['0x10', '1e1', '%2016', '16.0']) {
      const response = await app.inject({ method: 'GET', url: `/v1/users/${t.world.warmUserIds[0]}/recommendations?k=${k}` });
      expect(response.statusCode, k).toBe(400);
      expect(response.json()).toMatchObject({ code: 'SERVING_INPUT_INVALID', field: 'query.k' });
    }
    expect((await app.inject({ method: 'GET', url: `/v1/users/${t.world.warmUserIds[0]}/recommendations?k=16` })).statusCode).toBe(200);
  });

  it('adds readiness details (a fallback to an earlier version) to /readyz', async () => {
    const fallback = { wanted: 2, serving: 1, reason: 'melu v2 refused: weights.bin sha256 mismatch' };
    const withDetails = buildApp({ service: t.service, registry: new Registry(), accepting: () => true, logger: silent, readinessDetails: () => ({ fallback }) });
    expect((await withDetails.inject({ method: 'GET', url: '/readyz' })).json()).toEqual({ ready: true, modelVersion: 1, fallback });
    await withDetails.close();
  });

  it("hands each user a feedback session token that posts that user's events only; no token, no feedback", async () => {
    const recs = (await app.inject({ method: 'GET', url: '/v1/users/session-user/recommendations?k=2' })).json<{ feedbackToken: string; items: Array<{ itemId: string }> }>();
    expect(recs.feedbackToken).toMatch(/^fb1\./);
    const onboarding = (await app.inject({ method: 'GET', url: '/v1/users/session-user/onboarding?k=2' })).json<{ feedbackToken: string }>();
    expect(onboarding.feedbackToken).toMatch(/^fb1\./);
    const event = { user_id: 'session-user', item_id: recs.items[0].itemId, event_type: 'click', timestamp_ms: Date.now() };
    const post = (authorization?: string, body: object = event) =>
      app.inject({ method: 'POST', url: '/v1/feedback', headers: authorization === undefined ? {} : { authorization }, payload: body });
    expect((await post()).json()).toMatchObject({ code: 'SERVING_AUTH_MISSING', field: 'authorization' });
    expect((await post()).statusCode).toBe(401);
    expect((await post(`Bearer ${recs.feedbackToken}`)).statusCode).toBe(202);
    const other = await post(`Bearer ${recs.feedbackToken}`, { ...event, user_id: 'someone-else' });
    expect([other.statusCode, other.json<{ code: string }>().code]).toEqual([401, 'SERVING_AUTH_INVALID']);
  });
});
