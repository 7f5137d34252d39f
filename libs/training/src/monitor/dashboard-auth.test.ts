import { describe, expect, it } from 'vitest';

import { TrainingError } from '../errors.js';
import { createDashboardAuth } from './dashboard-auth.js';

const TOKEN = 'dash-3f9a1c77b2e04d5a';
const basic = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('createDashboardAuth', () => {
  const auth = createDashboardAuth(TOKEN);

  it('accepts the token as a bearer token or as the Basic password with any user name', () => {
    expect(auth.check(`Bearer ${TOKEN}`)).toBe('ok');
    expect(auth.check(basic('ops', TOKEN))).toBe('ok');
    expect(auth.check(basic('', TOKEN))).toBe('ok');
  });

  it('calls no credentials missing and wrong ones invalid', () => {
    expect(auth.check(undefined)).toBe('missing');
    expect(auth.check('')).toBe('missing');
    expect(auth.check('Digest abc')).toBe('missing');
    expect(auth.check(`Bearer ${TOKEN}x`)).toBe('invalid');
    expect(auth.check('Bearer')).toBe('invalid');
    expect(auth.check(basic(TOKEN, 'nope'))).toBe('invalid');
    expect(auth.check(basic('ops', ''))).toBe('invalid');
    expect(auth.check('Basic !!!')).toBe('missing');
  });

  it.each([['CHANGE_ME_dashboard_token'], ['example-token-1234567'], ['aaaaaaaaaaaaaaaaaaaa'], ['short']])('refuses the placeholder or short token %s', (token) => {
    expect(() => createDashboardAuth(token)).toThrow(TrainingError);
    try {
      createDashboardAuth(token);
    } catch (e) {
      expect((e as TrainingError).code).toBe('TRAIN_OPTIONS_INVALID');
      expect((e as Error).message).toMatch(/dashboard token|shorter/);
    }
  });
});
