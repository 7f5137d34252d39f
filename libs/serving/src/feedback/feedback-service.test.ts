import type { AdaptedUser } from '@metarec/meta-learning';
import { InteractionSchema, SCHEMA_FINGERPRINT_HEADER, SCHEMA_VERSION_HEADER } from '@metarec/schemas';
import type { EventProducer } from '@metarec/streaming';
import { InMemoryKafka } from '@metarec/streaming/testing';
import { describe, expect, it } from 'vitest';

import { UserModelCache } from '../cache/user-model-cache.js';
import { FeedbackService } from './feedback-service.js';
import { PendingInteractions } from './pending-interactions.js';

async function setup(producer?: EventProducer, tuning: { sendTimeoutMs?: number; cooldownMs?: number; now?: () => number } = {}): Promise<{ service: FeedbackService; kafka: InMemoryKafka; cache: UserModelCache; pending: PendingInteractions }> {
  const kafka = new InMemoryKafka();
  const admin = await kafka.createTopicAdmin();
  await admin.ensureTopics([{ topic: 'interactions', partitions: 2 }]);
  const cache = new UserModelCache();
  const pending = new PendingInteractions();
  const service = new FeedbackService({ ...tuning, producer: producer ?? (await kafka.createProducer()), topic: 'interactions', cache, pending });
  return { service, kafka, cache, pending };
}

const valid = { user_id: 'u1', item_id: 'i1', event_type: 'click', timestamp_ms: Date.now() };

describe('FeedbackService', () => {
  it('produces a valid event keyed by user with the wire-contract headers, and drops the cached user model', async () => {
    const { service, kafka, cache, pending } = await setup();
    let disposed = 0;
    cache.set('u1', 1, 's', { base: {} as AdaptedUser['base'], overrides: {}, tableRows: null, dispose: () => void (disposed += 1) });
    const receipt = await service.submit(valid);
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
    await expect(service.submit({ ...valid, colour: 'red' })).rejects.toMatchObject({ code: 'SERVING_INPUT_INVALID', field: 'colour' });
    await expect(service.submit({ ...valid, event_type: 'rating', value: 9 })).rejects.toMatchObject({ code: 'SERVING_INPUT_INVALID', field: 'value' });
    await expect(service.submit('not an object')).rejects.toMatchObject({ code: 'SERVING_INPUT_INVALID', field: 'body' });
    expect(kafka.messages('interactions')).toHaveLength(0);
  });

  it('reports Kafka failures as unavailable without naming the topic, and applies nothing', async () => {
    const failing: EventProducer = { send: () => Promise.reject(new Error('send to interactions failed: broker down')), close: async () => undefined };
    const { service, pending } = await setup(failing);
    const error = await service.submit(valid).catch((e: unknown) => e);
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
    await expect(service.submit(valid)).rejects.toMatchObject({ code: 'SERVING_FEEDBACK_UNAVAILABLE', details: { retryAfterMs: 1_000 } });
    expect(performance.now() - started).toBeLessThan(1_000);
    // During the cooldown: refused at once, the producer is not asked.
    clock += 500;
    await expect(service.submit(valid)).rejects.toMatchObject({ code: 'SERVING_FEEDBACK_UNAVAILABLE', details: { retryAfterMs: 500 } });
    expect(sends).toBe(1);
    clock += 600;
    await expect(service.submit(valid)).rejects.toMatchObject({ code: 'SERVING_FEEDBACK_UNAVAILABLE' });
    expect(sends).toBe(2);
  });

  it("stamps the Kafka record with the send time, not the event's (the broker refuses timestamps over 1 h ahead)", async () => {
    const clock = 1_800_000_000_000;
    const { service, kafka } = await setup(undefined, { now: () => clock });
    await service.submit({ ...valid, timestamp_ms: clock + 2 * 3_600_000 });
    const [message] = kafka.messages('interactions');
    expect(message.timestampMs).toBe(clock);
    expect(JSON.parse(message.value?.toString() ?? '')).toMatchObject({ timestamp_ms: clock + 2 * 3_600_000 });
  });
});
