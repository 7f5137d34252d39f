import fastifyBearerAuth from '@fastify/bearer-auth';
import { RegistryError, type RouteAccess, type TokenCheck, type TokenVerifier } from '@metarec/registry';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** How requests are authenticated. */
export interface AuthSettings {
  /** Configured tokens; `undefined` = none configured, so every write is refused. */
  readonly verifier: TokenVerifier | undefined;
  /** Require a token for reads too. */
  readonly readAuth: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated principal (audit actor); `anonymous` on open reads. */
    principal: string;
  }
}

type BearerVerify = (request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void) => void;
type RefusalCode = Extract<TokenCheck, { ok: false }>['code'];

/**
 * Registers `@fastify/bearer-auth` without a global hook (each route's access differs); its
 * `verifyBearerAuthFactory` decorator then builds the per-route checks of {@link authHook}.
 */
export async function registerBearerAuth(app: FastifyInstance): Promise<void> {
  await app.register(fastifyBearerAuth, { addHook: false, keys: [] });
}

/**
 * Returns an `onRequest` hook enforcing `access` (it runs before the body is read): 401 without a
 * token, 403 with a wrong one, in the registry's error body. `@fastify/bearer-auth` reads the
 * `Authorization: Bearer <token>` header (scheme case-insensitive, RFC 6749); the token is checked
 * by the registry's `TokenVerifier` (sha256 digests compared with `timingSafeEqual` against every
 * configured token), which names the principal. Sets `request.principal`, which becomes the actor in
 * the audit log (clients cannot claim one). Needs {@link registerBearerAuth} on the app.
 */
export function authHook(settings: AuthSettings, access: RouteAccess): (request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void) => void {
  const required = access === 'write' || (access === 'read' && settings.readAuth);
  /** What the verifier said of the request's token; absent when bearer-auth refused the header before asking. */
  const checks = new WeakMap<FastifyRequest, TokenCheck>();
  let verify: BearerVerify | undefined;
  const refuse = (code: RefusalCode): RegistryError =>
    new RegistryError(code, code === 'REG_AUTH_MISSING' ? 'a bearer token is required' : 'the bearer token is not valid', { field: 'authorization' });
  return (request, reply, done) => {
    request.principal = 'anonymous';
    if (!required && request.headers.authorization === undefined) {
      done();
      return;
    }
    const verifier = settings.verifier;
    if (verifier === undefined) {
      done(required ? new RegistryError('REG_AUTH_MISSING', 'this registry has no tokens configured (REGISTRY_TOKENS); writes are disabled', { field: 'authorization' }) : undefined);
      return;
    }
    const factory = request.server.verifyBearerAuthFactory;
    if (factory === undefined) {
      done(new RegistryError('REG_INTERNAL', 'registerBearerAuth was not called on this app'));
      return;
    }
    verify ??= factory({
      keys: [],
      specCompliance: 'rfc6749',
      addHook: false,
      // Refusals are answered (and counted) by the error handler; bearer-auth's own line stays at debug.
      verifyErrorLogLevel: 'debug',
      auth: (token, req) => {
        const check = verifier.check(`Bearer ${token}`);
        checks.set(req, check);
        if (check.ok) {
          req.principal = check.principal;
        }
        return check.ok;
      },
    });
    verify(request, reply, (error) => {
      if (error === undefined) {
        done();
        return;
      }
      // bearer-auth answers every refusal 401; the documented contract is 401 without a usable token, 403 with a wrong one.
      const check = checks.get(request);
      const code: RefusalCode = check !== undefined && !check.ok ? check.code : 'REG_AUTH_MISSING';
      if (!required && code === 'REG_AUTH_MISSING') {
        // An open read with an unusable header goes on as anonymous: undo bearer-auth's 401.
        void reply.code(200);
        done();
        return;
      }
      done(refuse(code));
    });
  };
}
