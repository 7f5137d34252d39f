import { describe, expect, it } from 'vitest';

import { makeInteraction, TEST_TIME_MS } from '../testing.js';
import { decodeBatch, storableJson } from './decode-batch.js';
import { SCHEMA_VERSION_HEADER } from './message-decoder.js';

function message(offset: number, value: string): { topic: string; partition: number; offset: bigint; key: null; value: Buffer; headers: Record<string, string>; timestampMs: number } {
  return { topic: 't', partition: 0, offset: BigInt(offset), key: null, value: Buffer.from(value), headers: { [SCHEMA_VERSION_HEADER]: '1' }, timestampMs: TEST_TIME_MS };
}

describe('decodeBatch', () => {
  it('splits a batch into accepted records with their text and dead letters stamped with the clock', () => {
    const good = JSON.stringify(makeInteraction());
    const { accepted, letters } = decodeBatch('interactions', [message(0, good), message(1, '{oops'), message(2, good)], { maxMessageBytes: 1_000, nowMs: TEST_TIME_MS });
    expect(accepted.map((a) => [a.message.offset, a.json])).toEqual([[0n, good], [2n, good]]);
    expect(letters.map((l) => [l.message.offset, l.reason, l.failedAtMs])).toEqual([[1n, 'FS_INVALID_JSON', TEST_TIME_MS]]);
  });

  it('stores only short interaction payloads as is', () => {
    const text = JSON.stringify(makeInteraction());
    expect(storableJson('interactions', text)).toBe(text);
    expect(storableJson('interactions', `${text}${' '.repeat(2_048)}`)).toBeUndefined();
    expect(storableJson('user_profiles', '{}')).toBeUndefined();
  });
});
