import { createHash, timingSafeEqual } from 'node:crypto';

import { RegistryError } from '../errors.js';

/** Outcome of checking a presented bearer token. */
export type TokenCheck = { readonly ok: true; readonly principal: string } | { readonly ok: false; readonly code: 'REG_AUTH_MISSING' | 'REG_AUTH_INVALID' };

/** Checks bearer tokens against the configured ones; the principal becomes the audit log's actor. */
export interface TokenVerifier {
  /** `presented` is the raw `Authorization` header value (or `undefined`). */
  check(authorizationHeader: string | undefined): TokenCheck;
}

const PRINCIPAL = /^[a-zA-Z0-9._@-]{1,64}$/;
/** Shortest accepted token: 16 characters, so a typo'd config never leaves a guessable secret. */
export const MIN_TOKEN_LENGTH = 16;

/**
 * Token values that are placeholders, never secrets: shipped examples (`CHANGE_ME…`), the usual
 * stand-ins, and a single character repeated. A registry configured with one refuses to start.
 */
const PLACEHOLDER = /change[_-]?me|changeit|placeholder|replace[_-]?me|example|your[_-]?token|^(.)\1*$/i;

/** True for a token value that is a placeholder (see {@link PLACEHOLDER}). */
export function isPlaceholderToken(token: string): boolean {
  return PLACEHOLDER.test(token);
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/**
 * Parses `REGISTRY_TOKENS`-style entries (`principal:token`) into a verifier. Tokens are
 * compared as sha256 digests with `crypto.timingSafeEqual` (equal lengths by construction),
 * and every configured token is compared on every call, so response time reveals neither
 * a token's prefix nor which principal matched.
 *
 * @throws RegistryError (`REG_OPTIONS_INVALID`, field `tokens`) on a malformed entry, a short token, a
 * placeholder token (`CHANGE_ME…`), a duplicate principal, or one token given to two principals
 * (writes would be attributed to whichever is listed first).
 */
export function createTokenVerifier(entries: readonly string[]): TokenVerifier {
  const tokens: { principal: string; digest: Buffer }[] = [];
  for (const entry of entries) {
    const cut = entry.indexOf(':');
    const principal = entry.slice(0, cut);
    const token = entry.slice(cut + 1);
    if (cut <= 0 || !PRINCIPAL.test(principal)) {
      throw new RegistryError('REG_OPTIONS_INVALID', 'each token entry must be "principal:token" with a principal of a-z A-Z 0-9 . _ @ -', { field: 'tokens' });
    }
    if (token.length < MIN_TOKEN_LENGTH) {
      throw new RegistryError('REG_OPTIONS_INVALID', `token of "${principal}" is shorter than ${MIN_TOKEN_LENGTH} characters`, { field: 'tokens' });
    }
    if (isPlaceholderToken(token)) {
      throw new RegistryError('REG_OPTIONS_INVALID', `token of "${principal}" is a placeholder value: create a real secret (see deploy/k8s/README.md)`, { field: 'tokens' });
    }
    if (tokens.some((t) => t.principal === principal)) {
      throw new RegistryError('REG_OPTIONS_INVALID', `duplicate principal "${principal}"`, { field: 'tokens' });
    }
    const d = digest(token);
    const twin = tokens.find((t) => t.digest.equals(d));
    if (twin !== undefined) {
      throw new RegistryError('REG_OPTIONS_INVALID', `principals "${twin.principal}" and "${principal}" share one token: give each its own`, { field: 'tokens' });
    }
    tokens.push({ principal, digest: d });
  }
  return {
    check(header) {
      const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
      if (match?.[1] === undefined) {
        return { ok: false, code: 'REG_AUTH_MISSING' };
      }
      const presented = digest(match[1]);
      let principal: string | undefined;
      for (const candidate of tokens) {
        if (timingSafeEqual(presented, candidate.digest)) {
          principal ??= candidate.principal;
        }
      }
      return principal === undefined ? { ok: false, code: 'REG_AUTH_INVALID' } : { ok: true, principal };
    },
  };
}
