import { describe, expect, it } from 'vitest';

import { createOptionChecks } from './create-option-checks.js';
import { mergeOptions } from './merge-options.js';

class LibError extends Error {
  constructor(
    readonly code: 'LIB_OPTIONS_INVALID',
    readonly option: string,
    message: string,
  ) {
    super(message);
  }
}

const checks = createOptionChecks((option, reason) => new LibError('LIB_OPTIONS_INVALID', option, `${option} ${reason}`));

describe('createOptionChecks', () => {
  it("throws the calling lib's error, naming the option and the allowed range", () => {
    expect(() => checks.requireInt('ttlMs', 0.5, 1)).toThrow(expect.objectContaining({ code: 'LIB_OPTIONS_INVALID', option: 'ttlMs', message: 'ttlMs must be an integer >= 1, got 0.5' }) as Error);
    expect(() => checks.requireInt('partitions', 0, 1, 8)).toThrow('partitions must be an integer in [1, 8], got 0');
    expect(() => checks.requireInt('partitions', 9, 1, 8)).toThrow(LibError);
    expect(() => checks.requireNumber('rate', Number.NaN, 0)).toThrow('rate must be a finite number >= 0, got NaN');
    expect(() => checks.requireNonBlank('clientId', '  ')).toThrow('clientId must be a non-empty string');
  });

  it('accepts values within bounds', () => {
    expect(() => {
      checks.requireInt('partitions', 8, 1, 8);
      checks.requireInt('ttlMs', Number.MAX_SAFE_INTEGER, 1);
      checks.requireNumber('rate', 0, 0);
      checks.requireNonBlank('clientId', 'metarec');
    }).not.toThrow();
  });
});

describe('mergeOptions', () => {
  it('lays options over defaults but keeps a default where the option is undefined', () => {
    const defaults = { ttlMs: 1000, max: 10, label: 'x' };
    expect(mergeOptions(defaults, { ttlMs: undefined, max: 0, extra: true })).toEqual({ ttlMs: 1000, max: 0, label: 'x', extra: true });
    expect(defaults).toEqual({ ttlMs: 1000, max: 10, label: 'x' });
  });
});
