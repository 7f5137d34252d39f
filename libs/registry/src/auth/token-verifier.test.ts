import { describe, expect, it } from 'vitest';

import { createTokenVerifier } from './token-verifier.js';

describe('createTokenVerifier', () => {
  const verifier = createTokenVerifier(['trainer:trainer-secret-0123456789', 'alice:alice-secret-abcdefghijkl']);

  it('maps a known token to its principal', () => {
    expect(verifier.check('Bearer alice-secret-abcdefghijkl')).toEqual({ ok: true, principal: 'alice' });
    expect(verifier.check('bearer trainer-secret-0123456789')).toEqual({ ok: true, principal: 'trainer' });
  });

  it('tells a missing token from a wrong one', () => {
    expect(verifier.check(undefined)).toEqual({ ok: false, code: 'REG_AUTH_MISSING' });
    expect(verifier.check('Basic abc')).toEqual({ ok: false, code: 'REG_AUTH_MISSING' });
    expect(verifier.check('Bearer alice-secret-abcdefghijkX')).toEqual({ ok: false, code: 'REG_AUTH_INVALID' });
    expect(verifier.check('Bearer alice')).toEqual({ ok: false, code: 'REG_AUTH_INVALID' });
  });

  it('refuses malformed, short and duplicate entries', () => {
    expect(() => createTokenVerifier(['no-colon'])).toThrow(/principal:token/);
    expect(() => createTokenVerifier(['bob:short'])).toThrow(/shorter than 16/);
    expect(() => createTokenVerifier(['bob:aaaaaaaaaaaaaaaa', 'bob:bbbbbbbbbbbbbbbb'])).toThrow(/duplicate/);
  });
});
