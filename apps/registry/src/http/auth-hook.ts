import { RegistryError, type RouteAccess, type TokenVerifier } from '@metarec/registry';
import type { FastifyRequest } from 'fastify';

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

/**
 * Returns an `onRequest` hook enforcing `access` (it runs before the body is read): 401 without a token, 403 with a wrong one. Sets
 * `request.principal`, which becomes the actor in the audit log (clients cannot claim one).
 */
export function authHook(settings: AuthSettings, access: RouteAccess): (request: FastifyRequest) => Promise<void> {
  const required = access === 'write' || (access === 'read' && settings.readAuth);
  return (request) => {
    request.principal = 'anonymous';
    const header = request.headers.authorization;
    if (!required && header === undefined) {
      return Promise.resolve();
    }
    if (settings.verifier === undefined) {
      if (!required) {
        return Promise.resolve();
      }
      return Promise.reject(new RegistryError('REG_AUTH_MISSING', 'this registry has no tokens configured (REGISTRY_TOKENS); writes are disabled', { field: 'authorization' }));
    }
    const check = settings.verifier.check(header);
    if (check.ok) {
      request.principal = check.principal;
      return Promise.resolve();
    }
    if (!required && check.code === 'REG_AUTH_MISSING') {
      return Promise.resolve();
    }
    const message = check.code === 'REG_AUTH_MISSING' ? 'a bearer token is required' : 'the bearer token is not valid';
    return Promise.reject(new RegistryError(check.code, message, { field: 'authorization' }));
  };
}
