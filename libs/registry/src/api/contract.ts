import { z } from 'zod';

import { bundleManifestSchema } from '../manifest/bundle-manifest.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../paging/page.js';
import { PG_INTEGER_MAX, textViolation } from './text-rules.js';

/**
 * The registry's HTTP contract: the zod schemas the server validates requests and responses with,
 * from which `@fastify/swagger` generates the OpenAPI document (`GET /openapi.json`) that the
 * typed client's types are generated from. Paths are relative to `API_PREFIX`.
 */
export const API_PREFIX = '/api/v1';

const isoTime = z.string().describe('ISO-8601 timestamp');

// Schemas with `.meta({ id })` are listed once under the OpenAPI document's `components.schemas`
// (so the generated client types carry these names) and referenced where they are used.
const manifestSchema = bundleManifestSchema.meta({ id: 'BundleManifest' });

export const modelRecordSchema = z.object({
  name: z.string(),
  description: z.string(),
  createdAt: isoTime,
  createdBy: z.string(),
  versionCount: z.number().int(),
  latestVersion: z.number().int().nullable(),
}).meta({ id: 'ModelRecord' });

export const versionStatusSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('active') }),
  z.object({ state: z.literal('archived'), archivedAt: isoTime, archivedBy: z.string(), reason: z.string().describe('why it was archived (empty when none was given)') }),
]).meta({ id: 'VersionStatus' });

export const versionRecordSchema = z.object({
  model: z.string(),
  version: z.number().int(),
  contentSha256: z.string(),
  manifest: manifestSchema,
  schemaFingerprint: z.string(),
  evaluationSetId: z.string().nullable(),
  createdAt: isoTime,
  createdBy: z.string(),
  status: versionStatusSchema,
  description: z.string().describe('mutable: editable after registration'),
  tags: z.record(z.string(), z.string()).describe('mutable labels (the manifest\'s labels are frozen)'),
  metaUpdatedAt: isoTime.nullable(),
  metaUpdatedBy: z.string().nullable(),
}).meta({ id: 'VersionRecord' });

export const aliasRecordSchema = z.object({
  model: z.string(),
  alias: z.string(),
  version: z.number().int(),
  eventId: z.number().int(),
  updatedAt: isoTime,
}).meta({ id: 'AliasRecord' });

export const aliasEventSchema = z.object({
  id: z.number().int(),
  model: z.string(),
  alias: z.string(),
  fromVersion: z.number().int().nullable(),
  toVersion: z.number().int(),
  kind: z.enum(['set', 'promote', 'override', 'rollback']),
  actor: z.string(),
  reason: z.string(),
  gate: z.record(z.string(), z.unknown()).nullable(),
  at: isoTime,
}).meta({ id: 'AliasEvent' });

/** Body of every error response. */
export const errorBodySchema = z.object({
  code: z.string().describe('stable error code, e.g. REG_MODEL_NOT_FOUND'),
  message: z.string(),
  field: z.string().optional().describe('the offending request field'),
  details: z.record(z.string(), z.unknown()).optional(),
}).meta({ id: 'Error' });

/** Free text a client sends (descriptions, reasons): bounded, and storable as is (see text-rules.ts). */
export function freeText(maxLength: number): z.ZodString {
  return z
    .string()
    .max(maxLength)
    .superRefine((value, ctx) => {
      const message = textViolation(value);
      if (message !== undefined) {
        ctx.addIssue({ code: 'custom', message });
      }
    });
}

/**
 * A query-string integer: plain decimal digits only. `z.coerce.number()` would read `0x10` as 16,
 * `1e2` as 100 and ` 16` as 16, so one value could mean different things to different readers.
 */
export function queryInt(min: number, max: number): z.ZodPipe<z.ZodPipe<z.ZodString, z.ZodTransform<number, string>>, z.ZodNumber> {
  return z
    .string()
    .regex(/^[0-9]{1,15}$/, 'expected a decimal integer')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));
}

/** A version number as the `integer` columns hold it. */
const versionNumber = z.number().int().positive().max(PG_INTEGER_MAX);

export const createModelBodySchema = z.object({ name: z.string(), description: freeText(2000).optional() });
export const registerVersionBodySchema = z.object({
  manifest: z.unknown().describe('a bundle manifest (see BundleManifest); every file must be PUT to /blobs first'),
  version: versionNumber.optional().describe('expected version number: idempotent retry'),
});
export const importVersionBodySchema = z.object({
  path: freeText(1000).describe('bundle directory relative to the server\'s REGISTRY_IMPORT_ROOT (no "..", not absolute)'),
  version: versionNumber.optional().describe('expected version number: idempotent retry'),
});
export const archiveBodySchema = z.object({ reason: freeText(2000).default('') });
export const moveAliasBodySchema = z.object({
  version: versionNumber,
  reason: freeText(2000).default(''),
  override: z.boolean().default(false).describe('promote despite a gate refusal (needs a reason; logged)'),
});
export const rollbackBodySchema = z.object({ reason: freeText(2000).default('') });
/** Page query of every list: `limit` items after the previous page's `nextPageToken`. */
export const pageQuerySchema = z.object({
  limit: queryInt(1, MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
  pageToken: z.string().min(1).max(200).optional().describe('nextPageToken of the previous page'),
});
export const historyQuerySchema = z.object({ limit: queryInt(1, 1000).default(100), pageToken: z.string().min(1).max(200).optional().describe('nextPageToken of the previous page') });
export const aliasAtQuerySchema = z.object({ time: z.iso.datetime({ offset: true }) });
export const waitQuerySchema = z.object({
  after: queryInt(0, Number.MAX_SAFE_INTEGER).default(0).describe('last event id seen; returns when the alias moves past it'),
  timeoutMs: queryInt(0, 60_000).default(25_000),
});

const nextPageToken = z.string().nullable().describe('pass as pageToken for the next page; null on the last page');
export const modelListSchema = z.object({ models: z.array(modelRecordSchema), nextPageToken });
export const versionListSchema = z.object({ versions: z.array(versionRecordSchema), nextPageToken });
export const aliasListSchema = z.object({ aliases: z.array(aliasRecordSchema) });
export const historySchema = z.object({ events: z.array(aliasEventSchema), nextPageToken });
export const registerResultSchema = z.object({ created: z.boolean(), version: versionRecordSchema }).meta({ id: 'RegisterResult' });
export const moveResultSchema = z.object({
  alias: aliasRecordSchema,
  moved: z.boolean(),
  event: aliasEventSchema.nullable(),
  gate: z.record(z.string(), z.unknown()).nullable(),
}).meta({ id: 'MoveResult' });
export const aliasAtSchema = z.object({ version: z.number().int().nullable(), event: aliasEventSchema.nullable() });
export const waitResultSchema = z.object({ changed: z.boolean(), alias: aliasRecordSchema.nullable() });
export const blobResultSchema = z.object({ sha256: z.string(), bytes: z.number().int() });
export const manifestResultSchema = z.object({ model: z.string(), version: z.number().int(), contentSha256: z.string(), manifest: manifestSchema });

/** Path parameters: names and refs are checked by the registry's own validators in the handlers (`REG_INVALID_NAME`). */
const modelParam = z.string().describe('model name');
const aliasParam = z.string().describe('alias name (e.g. production)');
const versionParam = z.string().describe('version number (1, 2, …)');
export const modelParamsSchema = z.object({ model: modelParam });
export const versionParamsSchema = z.object({ model: modelParam, version: versionParam });
export const aliasParamsSchema = z.object({ model: modelParam, alias: aliasParam });
export const refParamsSchema = z.object({ model: modelParam, ref: z.string().describe('a version number or an alias name') });
export const fileParamsSchema = z.object({ model: modelParam, version: versionParam, '*': z.string().describe('path of the file inside the bundle') });
export const blobParamsSchema = z.object({ sha256: z.string().describe('sha256 of the blob, 64 lower-case hex characters') });

/** Who may call a route. */
export type RouteAccess = 'read' | 'write' | 'public';

/** One route of the HTTP API: what the server validates and the OpenAPI document lists. */
export interface RouteSpec {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'HEAD';
  /** Fastify-style path under `API_PREFIX` (`/models/:model`). */
  readonly path: string;
  readonly summary: string;
  readonly access: RouteAccess;
  readonly params?: z.ZodObject;
  readonly query?: z.ZodType;
  /** JSON body schema, or `'binary'` for an `application/octet-stream` upload (streamed, not parsed). */
  readonly body?: z.ZodType | 'binary';
  /** JSON response schema, `'binary'` for file bytes, `'none'` for a HEAD answer. */
  readonly response: z.ZodType | 'binary' | 'none';
  readonly status: number;
}

/** Every API route; the server registers handlers for each and the OpenAPI document lists them. */
export const ROUTES = {
  listModels: { method: 'GET', path: '/models', summary: 'List models by name, one page', access: 'read', query: pageQuerySchema, response: modelListSchema, status: 200 },
  createModel: { method: 'POST', path: '/models', summary: 'Create a model', access: 'write', body: createModelBodySchema, response: modelRecordSchema, status: 201 },
  getModel: { method: 'GET', path: '/models/:model', summary: 'Get a model', access: 'read', params: modelParamsSchema, response: modelRecordSchema, status: 200 },
  listVersions: { method: 'GET', path: '/models/:model/versions', summary: 'List versions, newest first, one page', access: 'read', params: modelParamsSchema, query: pageQuerySchema, response: versionListSchema, status: 200 },
  registerVersion: {
    method: 'POST',
    path: '/models/:model/versions',
    summary: 'Register a version from a manifest whose files were uploaded to /blobs (200 when the same manifest was registered before)',
    access: 'write',
    params: modelParamsSchema,
    body: registerVersionBodySchema,
    response: registerResultSchema,
    status: 201,
  },
  importVersion: {
    method: 'POST',
    path: '/models/:model/versions/import',
    summary: 'Register a version from a bundle directory on the server\'s import volume (200 when already registered)',
    access: 'write',
    params: modelParamsSchema,
    body: importVersionBodySchema,
    response: registerResultSchema,
    status: 201,
  },
  getVersion: { method: 'GET', path: '/models/:model/versions/:version', summary: 'Get a version', access: 'read', params: versionParamsSchema, response: versionRecordSchema, status: 200 },
  getManifest: {
    method: 'GET',
    path: '/models/:model/refs/:ref/manifest',
    summary: 'Manifest of a version number or alias (the serving read path)',
    access: 'read',
    params: refParamsSchema,
    response: manifestResultSchema,
    status: 200,
  },
  archiveVersion: { method: 'POST', path: '/models/:model/versions/:version/archive', summary: 'Archive a version', access: 'write', params: versionParamsSchema, body: archiveBodySchema, response: versionRecordSchema, status: 200 },
  getFile: { method: 'GET', path: '/models/:model/versions/:version/files/*', summary: 'One file of a version, verified', access: 'read', params: fileParamsSchema, response: 'binary', status: 200 },
  getTarball: { method: 'GET', path: '/models/:model/versions/:version/bundle.tar.gz', summary: 'The whole bundle as a gzipped tarball', access: 'read', params: versionParamsSchema, response: 'binary', status: 200 },
  listAliases: { method: 'GET', path: '/models/:model/aliases', summary: 'List aliases', access: 'read', params: modelParamsSchema, response: aliasListSchema, status: 200 },
  getAlias: { method: 'GET', path: '/models/:model/aliases/:alias', summary: 'Resolve an alias', access: 'read', params: aliasParamsSchema, response: aliasRecordSchema, status: 200 },
  moveAlias: {
    method: 'PUT',
    path: '/models/:model/aliases/:alias',
    summary: 'Point an alias at a version (gated aliases go through the promotion gate)',
    access: 'write',
    params: aliasParamsSchema,
    body: moveAliasBodySchema,
    response: moveResultSchema,
    status: 200,
  },
  rollbackAlias: { method: 'POST', path: '/models/:model/aliases/:alias/rollback', summary: 'Move an alias back to its previous version', access: 'write', params: aliasParamsSchema, body: rollbackBodySchema, response: moveResultSchema, status: 200 },
  aliasHistory: { method: 'GET', path: '/models/:model/aliases/:alias/history', summary: 'Audit log of an alias, newest first', access: 'read', params: aliasParamsSchema, query: historyQuerySchema, response: historySchema, status: 200 },
  aliasAt: { method: 'GET', path: '/models/:model/aliases/:alias/at', summary: 'Which version the alias pointed to at a time', access: 'read', params: aliasParamsSchema, query: aliasAtQuerySchema, response: aliasAtSchema, status: 200 },
  waitAlias: {
    method: 'GET',
    path: '/models/:model/aliases/:alias/wait',
    summary: 'Long-poll until the alias moves past `after` (pg LISTEN/NOTIFY) or the timeout passes',
    access: 'read',
    params: aliasParamsSchema,
    query: waitQuerySchema,
    response: waitResultSchema,
    status: 200,
  },
  putBlob: { method: 'PUT', path: '/blobs/:sha256', summary: 'Upload a file by its sha256 (verified)', access: 'write', params: blobParamsSchema, body: 'binary', response: blobResultSchema, status: 201 },
  headBlob: { method: 'HEAD', path: '/blobs/:sha256', summary: 'Whether a blob is stored (404 when not)', access: 'read', params: blobParamsSchema, response: 'none', status: 200 },
  getBlob: { method: 'GET', path: '/blobs/:sha256', summary: 'A blob by sha256, verified', access: 'read', params: blobParamsSchema, response: 'binary', status: 200 },
} as const satisfies Record<string, RouteSpec>;

/** Route ids. */
export type RouteId = keyof typeof ROUTES;

