import { createHash } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { SchemaError } from '../errors/schema-error.js';
import { DEAD_LETTER_HEADERS, deadLetterRecordBytes, MIN_DEAD_LETTER_BYTES, toDeadLetterRecord } from './dead-letter-record.js';
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
      [DEAD_LETTER_HEADERS.originalBytes]: '2',
      [DEAD_LETTER_HEADERS.originalSha256]: createHash('sha256').update(message.value).digest('hex'),
    });
  });

  it('cuts a long detail to 512 characters (the payload stays whole)', () => {
    const message = { topic: 't', partition: 0, offset: 0n, key: null, value: null, headers: {} };
    const record = toDeadLetterRecord({ message, reason: 'FS_INVALID_JSON', field: '', detail: 'x'.repeat(2_000), failedAtMs: 0 });
    expect(record.headers[DEAD_LETTER_HEADERS.detail]).toHaveLength(512);
  });

  it('truncates a payload that would not fit the topic limit, keeping its prefix, original size and sha256', () => {
    const value = Buffer.alloc(1_048_500, 0x61);
    value[0] = 0x7b;
    const message = { topic: 'events', partition: 0, offset: 7n, key: 'u1', value, headers: { [SCHEMA_VERSION_HEADER]: '1' } };
    const letter = { message, reason: 'FS_INVALID_JSON' as const, field: '', detail: 'Unexpected end of JSON input', failedAtMs: 0 };
    const maxBytes = 1_048_588;
    expect(deadLetterRecordBytes(toDeadLetterRecord(letter))).toBeGreaterThan(maxBytes);
    const record = toDeadLetterRecord(letter, { maxBytes });
    expect(deadLetterRecordBytes(record)).toBeLessThanOrEqual(maxBytes);
    expect(record.value?.length).toBeLessThan(value.length);
    expect(record.value?.equals(value.subarray(0, record.value.length))).toBe(true);
    expect(record.headers[DEAD_LETTER_HEADERS.originalBytes]).toBe(String(value.length));
    expect(record.headers[DEAD_LETTER_HEADERS.originalSha256]).toBe(createHash('sha256').update(value).digest('hex'));
    expect(record.headers[DEAD_LETTER_HEADERS.truncated]).toBe('true');
    expect(record.headers[SCHEMA_VERSION_HEADER]).toBe('1');
    expect(record.key).toBe('u1');
  });

  it('leaves a record that fits untouched and unflagged', () => {
    const message = { topic: 'events', partition: 0, offset: 7n, key: 'u1', value: Buffer.from('{"a":'), headers: {} };
    const record = toDeadLetterRecord({ message, reason: 'FS_INVALID_JSON', field: '', detail: 'x', failedAtMs: 0 }, { maxBytes: MIN_DEAD_LETTER_BYTES });
    expect(record.value).toBe(message.value);
    expect(record.headers[DEAD_LETTER_HEADERS.truncated]).toBeUndefined();
  });

  it('drops original headers and cuts the key when they alone exceed the limit', () => {
    const message = { topic: 'events', partition: 0, offset: 7n, key: 'k'.repeat(20_000), value: Buffer.alloc(10, 0x20), headers: { big: 'h'.repeat(20_000) } };
    const record = toDeadLetterRecord({ message, reason: 'FS_INVALID_JSON', field: '', detail: 'x', failedAtMs: 0 }, { maxBytes: MIN_DEAD_LETTER_BYTES });
    expect(deadLetterRecordBytes(record)).toBeLessThanOrEqual(MIN_DEAD_LETTER_BYTES);
    expect(record.headers.big).toBeUndefined();
    expect(record.headers[DEAD_LETTER_HEADERS.truncated]).toBe('true');
    expect(record.headers[DEAD_LETTER_HEADERS.reason]).toBe('FS_INVALID_JSON');
    expect(record.key?.length).toBeLessThan(20_000);
  });

  it('refuses a limit too small for the dead-letter headers', () => {
    const message = { topic: 't', partition: 0, offset: 0n, key: null, value: null, headers: {} };
    const attempt = (): unknown => toDeadLetterRecord({ message, reason: 'FS_MESSAGE_EMPTY', field: '', detail: '', failedAtMs: 0 }, { maxBytes: MIN_DEAD_LETTER_BYTES - 1 });
    expect(attempt).toThrow(SchemaError);
  });
});
