import type { AliasManager, ArtifactStore, ModelRegistry, RunStore } from '@metarec/registry';
import { createClientErrorHandler, type Logger } from '@metarec/runtime';
import { registerOpenApi } from '@metarec/runtime/http';
import { type FastifyBaseLogger, fastify, type FastifyInstance, LogController } from 'fastify';
import type { Registry } from 'prom-client';

import { registerApiRoutes } from './http/api-routes.js';
import { type AuthSettings, registerBearerAuth } from './http/auth-hook.js';
import { frameworkErrorHandler, installErrorHandler, PARSER_ERROR_CODES } from './http/error-map.js';
import { installOriginCheck } from './http/origin-check.js';
import { registerOpsRoutes } from './http/ops-routes.js';
import { registerRunsRoutes } from './http/runs-routes.js';
import { registerVersionRoutes } from './http/version-routes.js';
import { registerWebRoutes } from './web/web-routes.js';

/** Everything the registry server is built from; `main.ts` creates these, tests pass their own. */
export interface RegistryAppDeps {
  readonly registry: ModelRegistry;
  /** Training runs (parameters, metric history, artifacts). */
  readonly runs: RunStore;
  readonly aliases: AliasManager;
  readonly store: ArtifactStore;
  readonly logger: Logger;
  readonly metrics: Registry;
  readonly auth: AuthSettings;
  /** Largest accepted blob upload, bytes. */
  readonly maxUploadBytes: number;
  /** Directory bundles may be imported from by relative path; `undefined` disables it. */
  readonly importRoot: string | undefined;
  /** Cap on a long-poll's `timeoutMs`, ms. */
  readonly longPollMaxMs: number;
  /** Readiness flag owned by `main.ts` (false once shutdown starts). */
  readonly isReady: () => boolean;
  /** Reported in the OpenAPI document. */
  readonly version: string;
}

/** Largest JSON body (a manifest with up to 1000 files fits in well under 1 MiB). */
const JSON_BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * Builds the registry's fastify server from injected dependencies; never listens (tests call
 * `inject()`, `main.ts` calls `listen`). On close, pending long-polls are released first so the
 * drain does not wait out their timeouts.
 */
export async function buildApp(deps: RegistryAppDeps): Promise<FastifyInstance> {
  // Upcast: routes are typed against fastify's base logger interface, which pino implements.
  const loggerInstance: FastifyBaseLogger = deps.logger;
  const app = fastify({
    loggerInstance,
    bodyLimit: JSON_BODY_LIMIT_BYTES,
    // HEAD /blobs/:sha256 is its own route (existence check without reading the blob).
    exposeHeadRoutes: false,
    // Answer 503 to requests arriving during close (fastify's default), drain the rest.
    return503OnClosing: true,
    // Per-request log lines would dominate the read path's cost; the metrics histogram covers it.
    logController: new LogController({ disableRequestLogging: true }),
    // Failures fastify and Node answer before any route (414, 431, malformed URLs) in the documented body.
    frameworkErrors: frameworkErrorHandler,
    clientErrorHandler: createClientErrorHandler(PARSER_ERROR_CODES),
  });
  const closing = new AbortController();
  app.addHook('preClose', (done) => {
    closing.abort();
    done();
  });
  // Responses finished during close end their keep-alive connection; otherwise an idle socket of
  // a released long-poll would hold server.close() until the keep-alive timeout.
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (closing.signal.aborted) {
      reply.header('connection', 'close');
    }
    done(null, payload);
  });
  installErrorHandler(app);
  await registerOpenApi(app, {
    title: 'metarec model registry',
    version: deps.version,
    description: 'Models, immutable versions (bundles of verified files), aliases with a promotion gate and an audit log. Errors answer `{ code, message, field?, details? }`.',
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'Writes always; reads when REGISTRY_READ_AUTH=true' } },
    namedSchemas: true,
  });
  installOriginCheck(app);
  await registerBearerAuth(app);
  registerOpsRoutes(app, { registry: deps.registry, metrics: deps.metrics, isReady: deps.isReady });
  registerApiRoutes(app, {
    registry: deps.registry,
    aliases: deps.aliases,
    store: deps.store,
    auth: deps.auth,
    maxUploadBytes: deps.maxUploadBytes,
    longPollMaxMs: deps.longPollMaxMs,
    importRoot: deps.importRoot,
    closing: closing.signal,
  });
  registerRunsRoutes(app, { runs: deps.runs, auth: deps.auth });
  registerVersionRoutes(app, { registry: deps.registry, runs: deps.runs, auth: deps.auth });
  await app.register((pages, _options, done) => {
    // Pages for people, not API operations: left out of the OpenAPI document.
    pages.addHook('onRoute', (route) => {
      route.schema = { ...route.schema, hide: true };
    });
    registerWebRoutes(pages, { registry: deps.registry, runs: deps.runs, aliases: deps.aliases, auth: deps.auth });
    done();
  });
  await app.ready();
  return app;
}
