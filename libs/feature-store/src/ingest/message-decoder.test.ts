import { describe, expect, it } from 'vitest';

import { makeInteraction, TEST_TIME_MS } from '../testing.js';
import { DEAD_LETTER_HEADERS, toDeadLetterRecord } from './dead-letter.js';
import type { IngestMessage } from './ingest-message.js';
import { decodeMessage, SCHEMA_VERSION_HEADER } from './message-decoder.js';
import { RateLimitedLog } from './rate-limited-log.js';

const OPTIONS = { maxMessageBytes: 1_000, nowMs: TEST_TIME_MS };

function message(value: Buffer | string | null, headers: Record<string, string> = { [SCHEMA_VERSION_HEADER]: '1' }): IngestMessage {
  return { topic: 'events', partition: 2, offset: 41n, key: 'u1', value: typeof value === 'string' ? Buffer.from(value) : value, headers, timestampMs: TEST_TIME_MS };
}

describe('decodeMessage', () => {
  it('accepts a valid interaction and hands back the text it parsed', () => {
    const text = JSON.stringify(makeInteraction());
    const result = decodeMessage(message(text), 'interactions', OPTIONS);
    expect(result).toEqual({ ok: true, record: makeInteraction(), json: text });
  });

  it('drops a UTF-8 byte-order mark from the text it hands back (stored as is, it would break JSON.parse)', () => {
    const text = JSON.stringify(makeInteraction());
    const result = decodeMessage(message(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])), 'interactions', OPTIONS);
    expect(result).toMatchObject({ ok: true, json: text });
  });

  it.each([
    ['an empty payload', message(null), 'FS_MESSAGE_EMPTY', ''],
    ['an oversized payload', message('x'.repeat(1_001)), 'FS_MESSAGE_TOO_LARGE', ''],
    ['a missing version header', message('{}', {}), 'FS_SCHEMA_VERSION_UNKNOWN', `header:${SCHEMA_VERSION_HEADER}`],
    ['an unknown version', message('{}', { [SCHEMA_VERSION_HEADER]: '2' }), 'FS_SCHEMA_VERSION_UNKNOWN', `header:${SCHEMA_VERSION_HEADER}`],
    ['invalid UTF-8', message(Buffer.from([0x7b, 0xc3, 0x28, 0x7d])), 'FS_INVALID_UTF8', ''],
    ['bad JSON', message('{"user_id":'), 'FS_INVALID_JSON', ''],
    ['a JSON array', message('[1]'), 'SCHEMA_RECORD_TYPE', ''],
    ['a missing field', message(JSON.stringify({ ...makeInteraction(), item_id: undefined })), 'SCHEMA_FIELD_MISSING', 'item_id'],
    ['a wrong type', message(JSON.stringify({ ...makeInteraction(), value: '4' })), 'SCHEMA_FIELD_TYPE', 'value'],
    ['an out-of-range rating', message(JSON.stringify(makeInteraction({ value: 7 }))), 'SCHEMA_FIELD_RANGE', 'value'],
    ['an unknown field', message(JSON.stringify({ ...makeInteraction(), userId: 'x' })), 'SCHEMA_UNKNOWN_FIELD', 'userId'],
  ])('rejects %s with its reason and field', (_name, input, reason, field) => {
    const result = decodeMessage(input, 'interactions', OPTIONS);
    expect(result).toMatchObject({ ok: false, reason, field });
  });
});

describe('toDeadLetterRecord', () => {
  it('keeps the original bytes, key and headers and adds reason, field, source and time', () => {
    const original = message(Buffer.from([0xff, 0xfe]), { [SCHEMA_VERSION_HEADER]: '1', trace: 'abc' });
    const record = toDeadLetterRecord({ message: original, reason: 'FS_INVALID_UTF8', field: '', detail: 'bad', failedAtMs: TEST_TIME_MS });
    expect(record.value).toBe(original.value);
    expect(record.key).toBe('u1');
    expect(record.headers).toMatchObject({
      trace: 'abc',
      [DEAD_LETTER_HEADERS.reason]: 'FS_INVALID_UTF8',
      [DEAD_LETTER_HEADERS.sourceTopic]: 'events',
      [DEAD_LETTER_HEADERS.sourcePartition]: '2',
      [DEAD_LETTER_HEADERS.sourceOffset]: '41',
      [DEAD_LETTER_HEADERS.failedAt]: '2026-03-01T12:00:00.000Z',
    });
  });
});

describe('RateLimitedLog', () => {
  it('lets one line per kind through per interval and reports how many it held back', () => {
    let now = 0;
    const log = new RateLimitedLog(1_000, () => now);
    expect(log.admit('A')).toEqual({ log: true, suppressed: 0 });
    expect(log.admit('A')).toEqual({ log: false });
    expect(log.admit('B')).toEqual({ log: true, suppressed: 0 });
    expect(log.admit('A')).toEqual({ log: false });
    now = 1_000;
    expect(log.admit('A')).toEqual({ log: true, suppressed: 2 });
  });
});
