import type { AdaptedUser } from '@metarec/meta-learning';
import { InteractionSchema, SCHEMA_FINGERPRINT_HEADER, SCHEMA_VERSION_HEADER } from '@metarec/schemas';
import type { EventProducer } from '@metarec/streaming';
import { InMemoryKafka } from '@metarec/streaming/testing';
import { describe, expect, it } from 'vitest';

import { UserModelCache } from '../cache/user-model-cache.js';
import { FeedbackAuth } from './feedback-auth.js';
import { FeedbackService } from './feedback-service.js';
import { PendingInteractions } from './pending-interactions.js';

async function setup(producer?: EventProducer, tuning: { sendTimeoutMs?: number; cooldownMs?: number; now?: () => number } = {}): Promise<{ service: FeedbackService; kafka: InMemoryKafka; cache: UserModelCache; pending: PendingInteractions }> {
  const kafka = new InMemoryKafka();
  const admin = await kafka.createTopicAdmin();
  await admin.ensureTopics([{ topic: 'interactions', partitions: 2 }]);
  const cache = new UserModelCache();
  const pending = new PendingInteractions();
  const auth = new FeedbackAuth({ tokens: ['svc:svc-token-0123456789abcdef'], signingKey: SIGNING_KEY });
  const service = new FeedbackService({ ...tuning, auth, producer: producer ?? (await kafka.createProducer()), topic: 'interactions', cache, pending });
  return { service, kafka, cache, pending };
}

const valid = { user_id: 'u1', item_id: 'i1', event_type: 'click', timestamp_ms: Date.now() };
const SIGNING_KEY = 'feedback-test-signing-key-0123456789abcdef';
const SERVICE = 'Bearer svc-token-0123456789abcdef';

describe('FeedbackService', () => {
  it('produces a valid event keyed by user with the wire-contract headers, and drops the cached user model', async () => {
    const { service, kafka, cache, pending } = await setup();
    let disposed = 0;
    cache.set('u1', 1, 's', { base: {} as AdaptedUser['base'], overrides: {}, tableRows: null, dispose: () => void (disposed += 1) });
    const receipt = await service.submit(valid, SERVICE);
    const [message] = kafka.messages('interactions');
    expect(message.key?.toString()).toBe('u1');
    expect(message.headers[SCHEMA_VERSION_HEADER]).toBe('1');
    expect(message.headers[SCHEMA_FINGERPRINT_HEADER]).toBe(InteractionSchema.fingerprint);
    expect(JSON.parse(message.value?.toString() ?? '')).toMatchObject({ user_id: 'u1', item_id: 'i1', event_type: 'click', value: null });
    expect(receipt.offset).toBe('0');
    expect(disposed).toBe(1);
    expect(pending.merge('u1', []).map((e) => e.item_id)).toEqual(['i1']);
  });

  it('rejects unknown fields and bad values naming the field', async () => {
    const { service, kafka } = await setup();
    await expect(service.submit({ ...valid, colour: 'red' }, SERVICE)).rejects.toMatchObject({ code: 'SERVING_INPUT_INVALID', field: 'colour' });
    await expect(service.submit({ ...valid, event_type: 'rating', value: 9 }, SERVICE)).rejects.toMatchObject({ code: 'SERVING_INPUT_INVALID', field: 'value' });
    await expect(service.submit('not an object', SERVICE)).rejects.toMatchObject({ code: 'SERVING_INPUT_INVALID', field: 'body' });
    expect(kafka.messages('interactions')).toHaveLength(0);
  });

  it('reports Kafka failures as unavailable without naming the topic, and applies nothing', async () => {
    const failing: EventProducer = { send: () => Promise.reject(new Error('send to interactions failed: broker down')), close: async () => undefined };
    const { service, pending } = await setup(failing);
    const error = await service.submit(valid, SERVICE).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SERVING_FEEDBACK_UNAVAILABLE' });
    expect((error as Error).message).not.toMatch(/interactions|broker/);
    expect(pending.merge('u1', [])).toEqual([]);
  });

  it('answers within sendTimeoutMs while Kafka does not acknowledge, then sheds load until the cooldown ends', async () => {
    let sends = 0;
    const hanging: EventProducer = { send: () => (sends++, new Promise(() => undefined)), close: async () => undefined };
    let clock = Date.now();
    const { service } = await setup(hanging, { sendTimeoutMs: 50, cooldownMs: 1_000, now: () => clock });
    const started = performance.now();
    await expect(service.submit(valid, SERVICE)).rejects.toMatchObject({ code: 'SERVING_FEEDBACK_UNAVAILABLE', details: { retryAfterMs: 1_000 } });
    expect(performance.now() - started).toBeLessThan(1_000);
    // During the cooldown: refused at once, the producer is not asked.
    clock += 500;
    await expect(service.submit(valid, SERVICE)).rejects.toMatchObject({ code: 'SERVING_FEEDBACK_UNAVAILABLE', details: { retryAfterMs: 500 } });
    expect(sends).toBe(1);
    clock += 600;
    await expect(service.submit(valid, SERVICE)).rejects.toMatchObject({ code: 'SERVING_FEEDBACK_UNAVAILABLE' });
    expect(sends).toBe(2);
  });

  it("stamps the Kafka record with the send time, not the event's (the broker refuses timestamps over 1 h ahead)", async () => {
    const clock = 1_800_000_000_000;
    const { service, kafka } = await setup(undefined, { now: () => clock });
    await service.submit({ ...valid, timestamp_ms: clock + 2 * 3_600_000 }, SERVICE);
    const [message] = kafka.messages('interactions');
    expect(message.timestampMs).toBe(clock);
    expect(JSON.parse(message.value?.toString() ?? '')).toMatchObject({ timestamp_ms: clock + 2 * 3_600_000 });
  });

  it('takes events only from a service token (any user) or the session token of the same user, and rate-limits each caller', async () => {
    let clock = 1_800_000_000_000;
    const { service, kafka } = await setup(undefined, { now: () => clock });
    const auth = new FeedbackAuth({ signingKey: SIGNING_KEY, ratePerSec: 1, burst: 2 });
    const u1 = auth.issue('u1', clock) as string;
    const event = { ...valid, timestamp_ms: clock };
    await expect(service.submit(event, undefined)).rejects.toMatchObject({ code: 'SERVING_AUTH_MISSING' });
    await expect(service.submit(event, 'Bearer not-a-token-0123456789')).rejects.toMatchObject({ code: 'SERVING_AUTH_INVALID' });
    await expect(service.submit(event, `Bearer ${u1}`)).resolves.toMatchObject({ partition: expect.any(Number) });
    // u1's session token cannot post for u2.
    await expect(service.submit({ ...event, user_id: 'u2' }, `Bearer ${u1}`)).rejects.toMatchObject({ code: 'SERVING_AUTH_INVALID' });
    clock += 3_600_001;
    await expect(service.submit(event, `Bearer ${u1}`)).rejects.toMatchObject({ code: 'SERVING_AUTH_INVALID', message: expect.stringContaining('expired') });
    expect(kafka.messages('interactions')).toHaveLength(1);
    // Rates: a burst of 2, then 1 per second.
    const fresh = auth.issue('u3', clock) as string;
    const header = `Bearer ${fresh}`;
    expect(auth.authorize(header, 'u3', clock)).toBe('user:u3');
    expect(auth.authorize(header, 'u3', clock)).toBe('user:u3');
    expect(() => auth.authorize(header, 'u3', clock)).toThrow(expect.objectContaining({ code: 'SERVING_RATE_LIMITED', details: { retryAfterMs: 1000 } }));
    expect(auth.authorize(header, 'u3', clock + 1_000)).toBe('user:u3');
  });

  it('refuses all feedback when no token or key is configured', async () => {
    const kafka = new InMemoryKafka();
    const admin = await kafka.createTopicAdmin();
    await admin.ensureTopics([{ topic: 'interactions', partitions: 1 }]);
    const open = new FeedbackService({ producer: await kafka.createProducer(), topic: 'interactions', cache: new UserModelCache(), pending: new PendingInteractions() });
    await expect(open.submit(valid, SERVICE)).rejects.toMatchObject({ code: 'SERVING_AUTH_MISSING', message: expect.stringContaining('disabled') });
    expect(kafka.messages('interactions')).toHaveLength(0);
  });
});
