import { describe, expect, it } from 'vitest';

import { DEAD_LETTER_HEADERS, toDeadLetterRecord } from './dead-letter-record.js';
import { SCHEMA_VERSION_HEADER } from './wire-headers.js';

describe('toDeadLetterRecord', () => {
  it('keeps the original bytes, key and headers and adds reason, field, source and time', () => {
    const message = { topic: 'events', partition: 2, offset: 41n, key: 'u1', value: Buffer.from([0xff, 0xfe]), headers: { [SCHEMA_VERSION_HEADER]: '1', trace: 'abc' } };
    const record = toDeadLetterRecord({ message, reason: 'FS_INVALID_UTF8', field: '', detail: 'bad', failedAtMs: Date.UTC(2026, 2, 1, 12) });
    expect(record.value).toBe(message.value);
    expect(record.key).toBe('u1');
    expect(record.headers).toEqual({
      trace: 'abc',
      [SCHEMA_VERSION_HEADER]: '1',
      [DEAD_LETTER_HEADERS.reason]: 'FS_INVALID_UTF8',
      [DEAD_LETTER_HEADERS.field]: '',
      [DEAD_LETTER_HEADERS.detail]: 'bad',
      [DEAD_LETTER_HEADERS.sourceTopic]: 'events',
      [DEAD_LETTER_HEADERS.sourcePartition]: '2',
      [DEAD_LETTER_HEADERS.sourceOffset]: '41',
      [DEAD_LETTER_HEADERS.failedAt]: '2026-03-01T12:00:00.000Z',
    });
  });

  it('cuts a long detail to 512 characters (the payload stays whole)', () => {
    const message = { topic: 't', partition: 0, offset: 0n, key: null, value: null, headers: {} };
    const record = toDeadLetterRecord({ message, reason: 'FS_INVALID_JSON', field: '', detail: 'x'.repeat(2_000), failedAtMs: 0 });
    expect(record.headers[DEAD_LETTER_HEADERS.detail]).toHaveLength(512);
  });
});
