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
    expect(() => createTokenVerifier(['bob:bob-secret-0123456789ab', 'bob:bob-secret-ba9876543210'])).toThrow(/duplicate/);
  });

  it('refuses placeholder tokens, the shipped example values included, and one token shared by two principals', () => {
    expect(() => createTokenVerifier(['trainer:CHANGE_ME_AT_LEAST_24_CHARS', 'ops:CHANGE_ME_AT_LEAST_24_CHARS'])).toThrow(/placeholder/);
    for (const token of ['changeme-changeme-1234', 'replace-me-with-a-secret', 'aaaaaaaaaaaaaaaaaaaa', 'example-token-123456789']) {
      expect(() => createTokenVerifier([`bob:${token}`]), token).toThrow(expect.objectContaining({ code: 'REG_OPTIONS_INVALID' }));
    }
    expect(() => createTokenVerifier(['trainer:shared-secret-0123456789', 'ops:shared-secret-0123456789'])).toThrow(/"trainer" and "ops" share one token/);
  });
});
