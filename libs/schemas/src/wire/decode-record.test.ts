import { describe, expect, it } from 'vitest';

import { InteractionSchema, parseInteraction } from '../records/interaction.js';
import { UserProfileSchema } from '../records/user-profile.js';
import { malformedInteractions, MALFORMED_EVENT_NAMES, oversizedInteraction } from '../testing.js';
import { FIXTURE_NOW_MS, makeInteraction } from '../testing/record-builders.js';
import { decodeRecord, type WireInput } from './decode-record.js';
import { SCHEMA_VERSION_HEADER, wireHeaders } from './wire-headers.js';

const OPTIONS = { maxMessageBytes: 1_000, nowMs: FIXTURE_NOW_MS };
const event = parseInteraction(makeInteraction(), { nowMs: FIXTURE_NOW_MS });

function input(value: Buffer | string | null, headers: Readonly<Record<string, string>> = wireHeaders(InteractionSchema)): WireInput {
  return { value: typeof value === 'string' ? Buffer.from(value) : value, headers };
}

describe('decodeRecord', () => {
  it('reads a message of a producer that predates the fingerprint header (version header only)', () => {
    const text = JSON.stringify(event);
    expect(decodeRecord(InteractionSchema, input(text, { [SCHEMA_VERSION_HEADER]: '1' }), OPTIONS)).toEqual({ ok: true, record: event, json: text });
  });

  it('drops a UTF-8 byte-order mark from the text it hands back (stored as is, it would break JSON.parse)', () => {
    const text = JSON.stringify(event);
    expect(decodeRecord(InteractionSchema, input(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])), OPTIONS)).toMatchObject({ ok: true, json: text });
  });

  it.each(malformedInteractions(event).map((m) => [m.name, m] as const))('rejects the malformed corpus case %s with its reason and field', (_name, malformed) => {
    const result = decodeRecord(InteractionSchema, input(malformed.message.value, malformed.message.headers), OPTIONS);
    expect(result).toMatchObject({ ok: false, reason: malformed.reason, field: malformed.field });
  });

  it('has a corpus with one case per name, each a distinct producer bug', () => {
    const corpus = malformedInteractions(event);
    expect(corpus.map((m) => m.name)).toEqual([...MALFORMED_EVENT_NAMES]);
    expect(new Set(corpus.map((m) => m.label)).size).toBe(corpus.length);
  });

  it('rejects a payload over the size limit before parsing it', () => {
    const oversized = oversizedInteraction(event, 1_001);
    expect(decodeRecord(InteractionSchema, input(oversized.message.value, oversized.message.headers), OPTIONS)).toMatchObject({ ok: false, reason: 'FS_MESSAGE_TOO_LARGE', field: '' });
    expect(decodeRecord(InteractionSchema, input(oversized.message.value, oversized.message.headers), { ...OPTIONS, maxMessageBytes: 1_001 })).toMatchObject({ reason: 'FS_INVALID_JSON' });
  });

  it('rejects a message of another schema by its fingerprint even when the version number matches', () => {
    const result = decodeRecord(InteractionSchema, input(JSON.stringify(event), wireHeaders(UserProfileSchema)), OPTIONS);
    expect(result).toMatchObject({ ok: false, reason: 'SCHEMA_FINGERPRINT_MISMATCH' });
  });
});
