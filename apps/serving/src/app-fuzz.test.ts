import { tmpdir } from 'node:os';

import { createLogger } from '@metarec/runtime';
import { encodeUrlPart, fuzzRandom, NASTY_STRINGS, NASTY_VALUES, RAW_URL_PARTS, recordScenarioFigures } from '@metarec/runtime/testing';
import { buildTestServing, TEST_FEEDBACK_AUTHORIZATION, type TestServing } from '@metarec/serving/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildApp, ROUTES } from './app.js';

let t: TestServing;
let app: ReturnType<typeof buildApp>;

beforeAll(async () => {
  t = await buildTestServing();
  app = buildApp({ service: t.service, registry: t.registry, accepting: () => true, logger: createLogger({ name: 'fuzz', level: 'silent' }) });
});

afterAll(async () => {
  await app.close();
  await t.close();
});

describe('serving HTTP surface under hostile input', () => {
  it('never answers 5xx nor shows internals, whatever a caller sends to any route (seeded fuzz)', async () => {
    const random = fuzzRandom(23);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    const leaksInternals = (body: string): boolean => [tmpdir(), process.cwd(), '    at ', 'node_modules', 'ECONN'].some((secret) => body.includes(secret));
    const user = t.world.warmUserIds[0];
    const item = t.world.dataset.items[0].item_id;
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    for (let i = 0; i < 1500; i++) {
      const route = pick(Object.values(ROUTES));
      const url = route.replace(':userId', () => (random() < 0.5 ? user : random() < 0.2 ? pick(RAW_URL_PARTS) : encodeUrlPart(pick(NASTY_STRINGS))));
      const query = random() < 0.5 ? '' : `?${random() < 0.7 ? 'k' : encodeUrlPart(pick(NASTY_STRINGS))}=${random() < 0.1 ? pick(RAW_URL_PARTS) : encodeUrlPart(String(pick(NASTY_VALUES)))}`;
      const valid: Record<string, unknown> = { user_id: user, item_id: item, event_type: 'rating', value: 4, timestamp_ms: Date.now(), k: 5, exclude: [item] };
      const body: Record<string, unknown> = {};
      for (const [field, good] of Object.entries(valid)) {
        const roll = random();
        if (roll < 0.5) {
          body[field] = good;
        } else if (roll < 0.85) {
          body[field] = pick(NASTY_VALUES);
        }
      }
      const payload = random() < 0.1 ? pick(['{', 'null', '[]', '"x"', '\u0000', '{"k":1e999}']) : JSON.stringify(body);
      const method = pick(['GET', 'POST', 'PUT'] as const);
      const res = await app.inject({
        method,
        url: `${url}${query}`,
        headers: { 'content-type': pick(['application/json', 'application/json', 'text/plain']), ...(random() < 0.7 ? { authorization: TEST_FEEDBACK_AUTHORIZATION } : {}) },
        ...(method === 'GET' ? {} : { payload }),
      });
      statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
      if (res.statusCode >= 500 || leaksInternals(res.body)) {
        failures.push(`${method} ${url}${query} ${payload.slice(0, 120)} -> ${res.statusCode} ${res.body.slice(0, 200)}`);
      }
    }
    expect(failures).toEqual([]);
    // The fuzz reached the handlers: some requests succeeded, many were refused.
    expect([...statuses.keys()].filter((s) => s < 300).length).toBeGreaterThan(0);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(100);
    const count = (test: (status: number) => boolean): number => [...statuses].filter(([status]) => test(status)).reduce((n, [, c]) => n + c, 0);
    recordScenarioFigures('serving HTTP fuzz (seeded)', { requestsSent: count(() => true), status2xx: count((s) => s < 300), status4xx: count((s) => s >= 400 && s < 500), status5xx: count((s) => s >= 500), leaking: failures.length });
  }, 120_000);
});
