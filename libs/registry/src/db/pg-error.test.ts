import { describe, expect, it } from 'vitest';

import { toRegistryError } from './pg-error.js';

describe('toRegistryError', () => {
  it('turns pg refusals of the input itself into REG_INVALID_INPUT, not REG_INTERNAL', () => {
    for (const code of ['22003', '22021', '22P05']) {
      expect(toRegistryError(Object.assign(new Error('refused'), { code }), 'insert-model').code).toBe('REG_INVALID_INPUT');
    }
    expect(toRegistryError(Object.assign(new Error('boom'), { code: 'XX000' }), 'insert-model').code).toBe('REG_INTERNAL');
  });
});
