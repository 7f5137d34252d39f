import { describe, expect, it } from 'vitest';

import { findJsonTextViolation, textViolation } from './text-rules.js';

describe('textViolation', () => {
  it('accepts ordinary text, line breaks, tabs and surrogate pairs', () => {
    for (const ok of ['', 'hotfix for incident 7', 'line one\nline two\ttabbed\r\n', 'emoji 😀']) {
      expect(textViolation(ok)).toBeUndefined();
    }
  });

  it('refuses NUL, other control characters and lone surrogates, saying where', () => {
    expect(textViolation('a\u0000b')).toBe('must not contain control characters (U+0000 at index 1)');
    expect(textViolation('\u0085')).toContain('U+0085');
    expect(textViolation('x\ud800')).toBe('must be well-formed UTF-16 (lone surrogate at index 1)');
    expect(textViolation('\udc00😀')).toBe('must be well-formed UTF-16 (lone surrogate at index 0)');
  });
});

describe('findJsonTextViolation', () => {
  it('finds a bad string value or key at any depth', () => {
    expect(findJsonTextViolation({ a: [1, { b: 'ok' }, { c: 'x\u0000' }] })).toMatchObject({ path: ['a', 2, 'c'] });
    expect(findJsonTextViolation({ a: { 'k\ud800': 1 } })).toMatchObject({ path: ['a'], message: expect.stringContaining('key') as string });
    expect(findJsonTextViolation({ a: ['fine', 2, null, true] })).toBeUndefined();
  });
});
