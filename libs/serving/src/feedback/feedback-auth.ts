import { createHmac, timingSafeEqual } from 'node:crypto';

import { createTokenVerifier, type TokenVerifier } from '@metarec/registry';
import { LRUCache } from 'lru-cache';

import { invalidOption, requireInt, ServingError } from '../errors.js';

/** Options of {@link FeedbackAuth}. */
export interface FeedbackAuthOptions {
  /** Service callers as `principal:token` (each may post events for any user). */
  readonly tokens?: readonly string[];
  /** Key of per-user session tokens handed out with recommendations (≥ 32 characters); none: no session tokens. */
  readonly signingKey?: string;
  /** Session token lifetime, ms. @defaultValue 3_600_000 */
  readonly sessionTtlMs?: number;
  /** Sustained events per second per caller (a service principal, or a user's session). @defaultValue 20 */
  readonly ratePerSec?: number;
  /** Events a caller may send above the rate in a burst. @defaultValue 40 */
  readonly burst?: number;
  /** Callers whose buckets are kept (least recently seen dropped beyond). @defaultValue 100_000 */
  readonly maxCallers?: number;
}

/** Defaults of {@link FeedbackAuthOptions}. */
export const DEFAULT_FEEDBACK_AUTH_OPTIONS = { sessionTtlMs: 3_600_000, ratePerSec: 20, burst: 40, maxCallers: 100_000 } as const;

const SESSION_PREFIX = 'fb1.';

/**
 * Who may put events into the training topic. A service with a token (`Authorization: Bearer
 * <token>`, `principal:token` as the registry's tokens) may post for any user; a browser or app
 * posts with the session token its recommendation response carried (`feedbackToken`: an HMAC of
 * the user id and an expiry under `signingKey`), valid only for that user's events. Anyone else is
 * refused, so nobody can inject events for an arbitrary user. Each caller gets a token bucket
 * (`ratePerSec`, `burst`). Without tokens and key feedback is refused altogether.
 */
export class FeedbackAuth {
  private readonly verifier: TokenVerifier | null;
  private readonly key: Buffer | null;
  private readonly o: { readonly sessionTtlMs: number; readonly ratePerSec: number; readonly burst: number; readonly maxCallers: number };
  /** Caller → bucket level and last refill; the least recently seen beyond `maxCallers` are dropped. */
  private readonly buckets: LRUCache<string, { level: number; atMs: number }>;

  /** @throws ServingError `SERVING_OPTIONS_INVALID` for a short key, bad rates, or bad token entries. */
  constructor(options: FeedbackAuthOptions = {}) {
    this.o = { ...DEFAULT_FEEDBACK_AUTH_OPTIONS, ...options };
    requireInt('sessionTtlMs', this.o.sessionTtlMs, 1_000);
    requireInt('ratePerSec', this.o.ratePerSec, 1);
    requireInt('burst', this.o.burst, 1);
    requireInt('maxCallers', this.o.maxCallers, 1);
    if (options.signingKey !== undefined && options.signingKey.length < 32) {
      throw invalidOption('signingKey', 'must be at least 32 characters');
    }
    try {
      this.verifier = options.tokens === undefined || options.tokens.length === 0 ? null : createTokenVerifier(options.tokens);
    } catch (error) {
      throw invalidOption('tokens', (error as Error).message);
    }
    this.key = options.signingKey === undefined ? null : Buffer.from(options.signingKey, 'utf8');
    this.buckets = new LRUCache({ max: this.o.maxCallers });
  }

  /** True when some caller can be authorized (tokens or a signing key are configured). */
  get enabled(): boolean {
    return this.verifier !== null || this.key !== null;
  }

  /** A session token for `userId`'s feedback, valid `sessionTtlMs` from `nowMs`; null without a signing key. */
  issue(userId: string, nowMs: number): string | null {
    if (this.key === null) {
      return null;
    }
    const expMs = nowMs + this.o.sessionTtlMs;
    return `${SESSION_PREFIX}${expMs}.${this.sign(userId, expMs).toString('base64url')}`;
  }

  /**
   * Checks the `Authorization` header of an event for `userId` and takes one token from its
   * caller's bucket; returns the caller (`principal`, or `user:<id>` for a session).
   * @throws ServingError `SERVING_AUTH_MISSING` (401), `SERVING_AUTH_INVALID` (401), `SERVING_RATE_LIMITED` (429, `details.retryAfterMs`).
   */
  authorize(authorization: string | undefined, userId: string, nowMs: number): string {
    if (!this.enabled) {
      throw new ServingError('SERVING_AUTH_MISSING', 'feedback is disabled: no FEEDBACK_TOKENS or FEEDBACK_SIGNING_KEY configured', { field: 'authorization' });
    }
    const bearer = authorization === undefined ? undefined : /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
    if (bearer === undefined) {
      throw new ServingError('SERVING_AUTH_MISSING', 'feedback needs Authorization: Bearer <service token or the feedbackToken of a recommendation>', { field: 'authorization' });
    }
    const caller = bearer.startsWith(SESSION_PREFIX) ? this.session(bearer, userId, nowMs) : this.service(bearer);
    this.take(caller, nowMs);
    return caller;
  }

  private service(token: string): string {
    const check = this.verifier?.check(`Bearer ${token}`);
    if (check === undefined || !check.ok) {
      throw new ServingError('SERVING_AUTH_INVALID', 'feedback token is not valid', { field: 'authorization' });
    }
    return check.principal;
  }

  private session(token: string, userId: string, nowMs: number): string {
    const [expText, mac] = token.slice(SESSION_PREFIX.length).split('.');
    const expMs = Number(expText);
    const presented = Buffer.from(mac ?? '', 'base64url');
    if (this.key === null || !/^\d{1,16}$/.test(expText ?? '') || presented.length !== 32) {
      throw new ServingError('SERVING_AUTH_INVALID', 'feedback token is not valid', { field: 'authorization' });
    }
    if (!timingSafeEqual(presented, this.sign(userId, expMs))) {
      throw new ServingError('SERVING_AUTH_INVALID', "feedback token is not valid for this event's user_id", { field: 'authorization' });
    }
    if (expMs < nowMs) {
      throw new ServingError('SERVING_AUTH_INVALID', 'feedback token expired: take the one of a newer recommendation', { field: 'authorization' });
    }
    return `user:${userId}`;
  }

  private sign(userId: string, expMs: number): Buffer {
    return createHmac('sha256', this.key as Buffer).update(`${userId}\n${expMs}`).digest();
  }

  private take(caller: string, nowMs: number): void {
    const held = this.buckets.get(caller);
    const level = held === undefined ? this.o.burst : Math.min(this.o.burst, held.level + ((nowMs - held.atMs) / 1000) * this.o.ratePerSec);
    if (level < 1) {
      this.buckets.set(caller, { level, atMs: nowMs });
      const retryAfterMs = Math.ceil(((1 - level) / this.o.ratePerSec) * 1000);
      throw new ServingError('SERVING_RATE_LIMITED', `feedback rate of ${caller.startsWith('user:') ? 'this user' : caller} exceeded (${this.o.ratePerSec}/s)`, { details: { retryAfterMs } });
    }
    this.buckets.set(caller, { level: level - 1, atMs: nowMs });
  }
}
