import { Readable } from 'node:stream';

import {
  type AliasManager,
  API_PREFIX,
  bundleTarball,
  collectBundle,
  importBundleDir,
  localBundleSource,
  type ModelRegistry,
  parseVersionNumber,
  parseVersionRef,
  RegistryError,
  ROUTES,
  type RouteId,
  validateAliasName,
  validateBundlePath,
  validateModelName,
  type ArtifactStore,
} from '@metarec/registry';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';

import { type AuthSettings, authHook } from './auth-hook.js';
import { pageOf, param } from './request-input.js';
import { routeSchema } from './route-schema.js';

/** What the API routes need. */
export interface ApiRoutesDeps {
  readonly registry: ModelRegistry;
  readonly aliases: AliasManager;
  readonly store: ArtifactStore;
  readonly auth: AuthSettings;
  readonly maxUploadBytes: number;
  readonly longPollMaxMs: number;
  /** Directory bundles may be imported from by path; `undefined` disables server-side import. */
  readonly importRoot: string | undefined;
  /** Aborts when the server starts closing, so long-polls return at once. */
  readonly closing: AbortSignal;
}

type Spec<Id extends RouteId> = (typeof ROUTES)[Id];
/** What fastify hands a handler after the route schema parsed it (defaults applied, query integers as numbers). */
type Parsed<S, K extends string> = S extends Record<K, infer T> ? (T extends z.ZodType ? z.output<T> : unknown) : unknown;
type RouteRequest<Id extends RouteId> = FastifyRequest<{ Params: Parsed<Spec<Id>, 'params'>; Querystring: Parsed<Spec<Id>, 'query'>; Body: Parsed<Spec<Id>, 'body'> }>;
type Handlers = { [Id in RouteId]: (request: RouteRequest<Id>, reply: FastifyReply) => Promise<unknown> };

const model = (request: FastifyRequest): string => validateModelName(param(request.params, 'model'), 'model');
const version = (request: FastifyRequest): number => parseVersionNumber(param(request.params, 'version'), 'version');
const alias = (request: FastifyRequest): string => validateAliasName(param(request.params, 'alias'), 'alias');
const sha256 = (request: FastifyRequest): string => {
  const value = param(request.params, 'sha256');
  if (!/^[0-9a-f]{64}$/.test(value)) {
    throw new RegistryError('REG_INVALID_INPUT', `invalid sha256 "${value}": expected 64 lower-case hex characters`, { field: 'sha256' });
  }
  return value;
};

/** Sent with every artifact: a stored report is someone else's HTML, so it runs sandboxed. */
const ARTIFACT_HEADERS = { 'content-security-policy': 'sandbox', 'x-content-type-options': 'nosniff' } as const;

function handlers(deps: ApiRoutesDeps): Handlers {
  const { registry, aliases } = deps;
  const source = localBundleSource(registry, aliases);
  return {
    listModels: async (request) => {
      const page = await registry.listModels(pageOf(request.query));
      return { models: page.items, nextPageToken: page.nextPageToken };
    },
    createModel: async (request, reply) => {
      const body = request.body;
      reply.status(201);
      return registry.createModel({ name: body.name, ...(body.description === undefined ? {} : { description: body.description }), actor: request.principal });
    },
    getModel: (request) => registry.getModel(model(request)),
    listVersions: async (request) => {
      const page = await registry.listVersions(model(request), pageOf(request.query));
      return { versions: page.items, nextPageToken: page.nextPageToken };
    },
    registerVersion: async (request, reply) => {
      const name = model(request);
      const body = request.body;
      const result = await registry.registerVersion({ model: name, manifest: body.manifest, actor: request.principal, ...(body.version === undefined ? {} : { version: body.version }) });
      reply.status(result.created ? 201 : 200);
      return result;
    },
    importVersion: async (request, reply) => {
      const name = model(request);
      const body = request.body;
      if (deps.importRoot === undefined) {
        throw new RegistryError('REG_INVALID_INPUT', 'server-side import is disabled (REGISTRY_IMPORT_ROOT is not set); upload the bundle instead', { field: 'path' });
      }
      const result = await importBundleDir({
        registry,
        store: deps.store,
        root: deps.importRoot,
        path: body.path,
        model: name,
        actor: request.principal,
        ...(body.version === undefined ? {} : { version: body.version }),
      });
      reply.status(result.created ? 201 : 200);
      return result;
    },
    getVersion: (request) => registry.getVersion(model(request), version(request)),
    getManifest: async (request, reply) => {
      const name = model(request);
      const ref = parseVersionRef(param(request.params, 'ref'), 'ref');
      const number = ref.kind === 'version' ? ref.version : (await aliases.resolve(name, ref.alias)).version;
      const entry = await registry.getManifest(name, number);
      // A version number names immutable content; an alias may move at any time.
      reply.header('etag', `"${entry.contentSha256}"`).header('cache-control', ref.kind === 'version' ? 'public, max-age=31536000, immutable' : 'no-cache');
      return entry;
    },
    archiveVersion: async (request) => {
      const body = request.body;
      return registry.archiveVersion({ model: model(request), version: version(request), actor: request.principal, reason: body.reason });
    },
    getFile: async (request, reply) => {
      const path = validateBundlePath(param(request.params, '*'), 'path');
      const { file, bytes } = await registry.readFile(model(request), version(request), path);
      return reply.headers(ARTIFACT_HEADERS).type(file.contentType ?? 'application/octet-stream').send(bytes);
    },
    getTarball: async (request, reply) => {
      const name = model(request);
      const bundle = await collectBundle(source, name, String(version(request)));
      return reply
        .type('application/gzip')
        .header('content-disposition', `attachment; filename="${name}-v${bundle.version}.tar.gz"`)
        .send(await bundleTarball(bundle));
    },
    listAliases: async (request) => {
      const name = model(request);
      await registry.getModel(name);
      return { aliases: await aliases.list(name) };
    },
    getAlias: (request) => aliases.resolve(model(request), alias(request)),
    moveAlias: async (request) => {
      const name = model(request);
      const target = alias(request);
      const body = request.body;
      return aliases.move({ model: name, alias: target, version: body.version, actor: request.principal, reason: body.reason, override: body.override });
    },
    rollbackAlias: async (request) => {
      const name = model(request);
      const target = alias(request);
      const body = request.body;
      return aliases.rollback({ model: name, alias: target, actor: request.principal, reason: body.reason });
    },
    aliasHistory: async (request) => {
      const name = model(request);
      const target = alias(request);
      const query = request.query;
      await registry.getModel(name);
      const page = await aliases.historyPage(name, target, pageOf(query));
      return { events: page.items, nextPageToken: page.nextPageToken };
    },
    aliasAt: async (request) => {
      const name = model(request);
      const target = alias(request);
      const query = request.query;
      await registry.getModel(name);
      const event = await aliases.at(name, target, new Date(query.time));
      return { version: event?.toVersion ?? null, event };
    },
    waitAlias: async (request) => {
      const name = model(request);
      const target = alias(request);
      const query = request.query;
      await registry.getModel(name);
      const disconnected = new AbortController();
      request.raw.once('close', () => disconnected.abort());
      const result = await aliases.waitForChange({
        model: name,
        alias: target,
        afterEventId: query.after,
        timeoutMs: Math.min(query.timeoutMs, deps.longPollMaxMs),
        signal: AbortSignal.any([deps.closing, disconnected.signal]),
      });
      return { changed: result.changed, alias: result.alias ?? null };
    },
    putBlob: async (request, reply) => {
      const expected = sha256(request);
      if (!(request.body instanceof Readable)) {
        throw new RegistryError('REG_INVALID_INPUT', 'blob uploads need content-type application/octet-stream', { field: 'body' });
      }
      const declared = Number(request.headers['content-length'] ?? Number.NaN);
      if (declared > deps.maxUploadBytes) {
        throw new RegistryError('REG_PAYLOAD_TOO_LARGE', `upload exceeds the limit of ${deps.maxUploadBytes} bytes`, { field: 'body', details: { maxBytes: deps.maxUploadBytes } });
      }
      // Streamed to the store, hashed and counted as bytes arrive: never held in memory whole.
      const stored = await deps.store.putStream(request.body, { expectedSha256: expected, maxBytes: deps.maxUploadBytes });
      reply.status(201);
      return stored;
    },
    headBlob: async (request, reply) => {
      const stored = await deps.store.stat(sha256(request));
      return reply.status(stored === undefined ? 404 : 200).header('content-length', stored?.bytes ?? 0).send();
    },
    getBlob: async (request, reply) => reply.headers(ARTIFACT_HEADERS).type('application/octet-stream').send(await registry.readBlob(sha256(request))),
  };
}

/** Registers every route of the contract's `ROUTES` table under `API_PREFIX`, each with its zod schemas (validation and OpenAPI). */
export function registerApiRoutes(app: FastifyInstance, deps: ApiRoutesDeps): void {
  // The raw request stream becomes the body: putBlob streams it to the store (no buffering here).
  app.addContentTypeParser('application/octet-stream', (_request, payload, done) => {
    done(null, payload);
  });
  const table = handlers(deps);
  for (const [id, route] of Object.entries(ROUTES) as [RouteId, (typeof ROUTES)[RouteId]][]) {
    app.route({
      method: route.method,
      url: `${API_PREFIX}${route.path}`,
      // onRequest, not preHandler: a caller without a valid token is answered before any body byte is read.
      onRequest: authHook(deps.auth, route.access),
      schema: routeSchema(id, route),
      // The explicit HEAD route (blob existence) is an operation of its own in the document.
      ...(route.method === 'HEAD' ? { config: { swagger: { exposeHeadRoute: true } } } : {}),
      // Each handler's request type is its own route's parsed schema; the table is keyed by the same ids.
      handler: table[id] as (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>,
    });
  }
}
