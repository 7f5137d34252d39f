import { RegistryError } from '@metarec/registry';
import type { FastifyInstance } from 'fastify';

const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Defence in depth against cross-site writes. The registry's only credential is a bearer token in
 * the `Authorization` header (no cookies, no HTTP auth), which a foreign page cannot make a browser
 * send, so CSRF has nothing to ride on. On top, a state-changing request whose `Origin` names
 * another site is refused: browsers always send `Origin` on cross-origin writes, and clients
 * outside a browser (trainer, CLI) send none, so they pass.
 */
export function installOriginCheck(app: FastifyInstance): void {
  app.addHook('onRequest', (request, _reply, done) => {
    const origin = request.headers.origin;
    if (SAFE_METHODS.has(request.method) || origin === undefined) {
      done();
      return;
    }
    const host = request.headers.host;
    let sameOrigin = false;
    try {
      sameOrigin = host !== undefined && new URL(origin).host === host;
    } catch (error) {
      // `Origin: null` (sandboxed frame, file://) or garbage: not our page, refused below.
      request.log.debug({ origin, err: String(error) }, 'unparseable Origin');
    }
    if (sameOrigin) {
      done();
      return;
    }
    done(new RegistryError('REG_AUTH_INVALID', `cross-origin write refused (Origin ${origin})`, { field: 'origin' }));
  });
}
