import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import type { DatasetError } from '../errors.js';
import { UNKNOWN_INDEX, Vocabulary } from './vocabulary.js';

describe('Vocabulary', () => {
  it('indexes distinct tokens from 1 in code-point order and reserves 0 for unknown and missing', () => {
    const vocabulary = Vocabulary.fit(['b', 'a', null, 'b', undefined, 'c']);
    expect(vocabulary.size).toBe(4);
    expect(['a', 'b', 'c'].map((t) => vocabulary.indexOf(t))).toEqual([1, 2, 3]);
    expect(vocabulary.indexOf('zzz')).toBe(UNKNOWN_INDEX);
    expect(vocabulary.indexOf(null)).toBe(UNKNOWN_INDEX);
    expect(vocabulary.tokenAt(2)).toBe('b');
    expect(vocabulary.tokenAt(0)).toBeUndefined();
  });

  it('does not depend on input order', () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { maxLength: 30 }), (tokens) => {
        const a = Vocabulary.fit(tokens).toJSON();
        const b = Vocabulary.fit([...tokens].reverse()).toJSON();
        expect(a).toEqual(b);
      }),
    );
  });

  it('round-trips through JSON text with identical indices', () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { maxLength: 30 }), fc.string(), (tokens, probe) => {
        const vocabulary = Vocabulary.fit(tokens);
        const restored = Vocabulary.fromJSON(JSON.parse(JSON.stringify(vocabulary)));
        expect(restored.size).toBe(vocabulary.size);
        for (const token of [...tokens, probe]) {
          expect(restored.indexOf(token)).toBe(vocabulary.indexOf(token));
        }
      }),
    );
  });

  it('rejects malformed JSON with DS_SERIALIZED_INVALID', () => {
    for (const bad of [null, {}, { tokens: [1] }, { tokens: ['a', 'a'] }]) {
      expect(() => Vocabulary.fromJSON(bad)).toThrow(expect.objectContaining({ code: 'DS_SERIALIZED_INVALID' }) as DatasetError);
    }
  });
});
