import { createTokenVerifier, type TokenVerifier } from '@metarec/registry';

import { TrainingError } from '../errors.js';

/** Outcome of {@link DashboardAuth.check}: `missing` (no credentials: 401 with a challenge) or `invalid` (wrong ones). */
export type DashboardAuthResult = 'ok' | 'missing' | 'invalid';

/** Checks the credentials of a dashboard request. */
export interface DashboardAuth {
  /** `header` is the raw `Authorization` header value (or `undefined`). */
  check(header: string | undefined): DashboardAuthResult;
}

const BASIC = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i;

/**
 * The dashboard's single access token, accepted as `Authorization: Bearer <token>` (scripts,
 * `curl`) or as the password of HTTP Basic auth with any user name (a browser's login prompt).
 * The token rules and the constant-time comparison are the registry's (`createTokenVerifier`):
 * at least 16 characters, and no placeholder (`CHANGE_ME…`, `example`, one character repeated).
 * @throws TrainingError `TRAIN_OPTIONS_INVALID` (field `token`) for a short or placeholder token.
 */
export function createDashboardAuth(token: string): DashboardAuth {
  let verifier: TokenVerifier;
  try {
    verifier = createTokenVerifier([`dashboard:${token}`]);
  } catch (error) {
    const detail = (error as Error).message.replace('token of "dashboard"', 'the dashboard token');
    throw new TrainingError('TRAIN_OPTIONS_INVALID', detail, { field: 'token' }, error);
  }
  return {
    check(header) {
      if (header === undefined || header.trim() === '') {
        return 'missing';
      }
      const basic = BASIC.exec(header);
      const bearer = basic === null ? header : `Bearer ${passwordOf(basic[1] ?? '')}`;
      const result = verifier.check(bearer);
      if (result.ok) {
        return 'ok';
      }
      return result.code === 'REG_AUTH_MISSING' && basic === null && !/^Bearer\b/i.test(header) ? 'missing' : 'invalid';
    },
  };
}

/** The password of a Basic credential (`user:password`, base64); empty when malformed. */
function passwordOf(encoded: string): string {
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const cut = decoded.indexOf(':');
  return cut < 0 ? '' : decoded.slice(cut + 1);
}
