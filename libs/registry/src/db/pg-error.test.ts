import { describe, expect, it } from 'vitest';

import { toRegistryError } from './pg-error.js';

describe('toRegistryError', () => {
  it('turns pg refusals of the input itself into REG_INVALID_INPUT, not REG_INTERNAL', () => {
    for (const code of ['22003', '22021', '22P05']) {
      expect(toRegistryError(Object.assign(new Error('refused'), { code }), 'insert-model').code).toBe('REG_INVALID_INPUT');
    }
    expect(toRegistryError(Object.assign(new Error('boom'), { code: 'XX000' }), 'insert-model').code).toBe('REG_INTERNAL');
  });

  it('turns an unreachable database into REG_UNAVAILABLE with a message naming no host or port', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:55432'), { code: 'ECONNREFUSED' });
    for (const error of [refused, new AggregateError([refused]), new Error('Connection terminated unexpectedly'), Object.assign(new Error('shutting down'), { code: '57P01' })]) {
      const mapped = toRegistryError(error, 'list-models');
      expect(mapped.code).toBe('REG_UNAVAILABLE');
      expect(mapped.message).not.toContain('127.0.0.1');
    }
  });
});
