import { generateSynthetic, interactionRecords } from '@metarec/datasets';
import { InteractionSchema, type Interaction } from '@metarec/schemas';
import type { ConsumedMessage } from '@metarec/streaming';
import { describe, expect, it } from 'vitest';

import { decodeInteraction, encodeInteraction, HEADER_FINGERPRINT } from './event-codec.js';
import { malformedEvents } from './malformed-events.js';

function asConsumed(value: string | null): ConsumedMessage {
  return { topic: 't', partition: 0, offset: 0n, key: 'u', value: value === null ? null : Buffer.from(value), headers: {}, timestampMs: 0 };
}

const [template] = interactionRecords(generateSynthetic({ seed: 1, users: 5, items: 5, interactionsPerUser: { min: 1, max: 2 } }));

describe('malformed demo events', () => {
  it('are each rejected by the interaction schema on the field they break', () => {
    const events = malformedEvents(template as Interaction);
    expect(events.length).toBeGreaterThanOrEqual(5);
    for (const event of events) {
      const decoded = decodeInteraction(asConsumed(event.payload));
      expect(decoded.ok, event.label).toBe(false);
      expect(!decoded.ok && decoded.field, event.label).toBe(event.expectedField);
    }
  });

  it('leave the valid template accepted, so each rejection is due to the one change', () => {
    const message = encodeInteraction(template as Interaction, 'u', 'run');
    expect(message.headers?.[HEADER_FINGERPRINT]).toBe(InteractionSchema.fingerprint);
    const decoded = decodeInteraction(asConsumed(String(message.value)));
    expect(decoded).toEqual({ ok: true, record: template });
  });

  it('reports an empty payload on the payload field', () => {
    expect(decodeInteraction(asConsumed(null))).toMatchObject({ ok: false, code: 'PAYLOAD_EMPTY', field: 'payload' });
  });
});
