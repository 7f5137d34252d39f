import { errorBodySchema, type RouteSpec } from '@metarec/registry';
import { z } from 'zod';

/** Bytes on the wire (files, blobs, tarballs): documented, never parsed or serialized by zod. */
const bytes = (mediaType: string): z.ZodString => z.string().meta({ contentMediaType: mediaType });

/** An error response: the one named `Error` schema (a `$ref` in the document) under its own description. */
interface ErrorResponse {
  readonly description: string;
  readonly content: { readonly 'application/json': { readonly schema: typeof errorBodySchema } };
}

const errorBody = (description: string): ErrorResponse => ({ description, content: { 'application/json': { schema: errorBodySchema } } });

/** What the document needs of a route: the contract's `RouteSpec` (run and version routes declare the same fields beside their handlers). */
export type OperationSpec = Omit<RouteSpec, 'path'>;

/** Where a binary response's media type is known in advance. */
const BINARY_MEDIA_TYPE: Readonly<Record<string, string>> = { getTarball: 'application/gzip', getBlob: 'application/octet-stream' };

/** Create routes that answer 200 instead of 201 when the same thing was registered before (idempotent retry). */
const RETRY_ANSWERS_200: ReadonlySet<string> = new Set(['registerVersion', 'importVersion', 'createRun']);

function success(id: string, route: OperationSpec): Record<number, unknown> {
  if (route.response === 'none') {
    return { [route.status]: z.undefined().describe('Stored'), 404: z.undefined().describe('Not stored') };
  }
  if (route.response === 'binary') {
    // getFile answers with the file's own content type (manifest `contentType`), hence `*/*`.
    const mediaType = BINARY_MEDIA_TYPE[id] ?? '*/*';
    return { [route.status]: { description: 'The bytes, verified against their sha256', content: { [mediaType]: { schema: bytes(mediaType) } } } };
  }
  return RETRY_ANSWERS_200.has(id) ? { 200: route.response, 201: route.response } : { [route.status]: route.response };
}

function errors(route: OperationSpec): Record<number, ErrorResponse> {
  const responses: Record<number, ErrorResponse> = {
    400: errorBody('Invalid request; `field` names the offending field'),
    404: errorBody('Unknown model, version, alias, blob, run or route'),
    500: errorBody('Internal error (the message is generic; the log has the details)'),
  };
  if (route.access !== 'public') {
    responses[401] = errorBody('Missing bearer token (writes always; reads when REGISTRY_READ_AUTH=true)');
    responses[403] = errorBody('Wrong bearer token, or a write from another site\'s page (`Origin`)');
  }
  if (route.method === 'POST' || route.method === 'PUT' || route.method === 'PATCH') {
    responses[409] = errorBody('Conflict: immutable or archived version, gate refusal, existing model, run id or ended run');
    responses[413] = errorBody('Body larger than the server accepts');
  }
  return responses;
}

/**
 * The fastify route schema of a contract route: zod validates params, query and body and checks
 * the response, and `@fastify/swagger` turns the same schemas into the OpenAPI operation.
 */
export function routeSchema(id: string, route: OperationSpec): Record<string, unknown> {
  return {
    operationId: id,
    summary: route.summary,
    ...(route.access === 'public' ? {} : { security: [{ bearer: [] }] }),
    ...(route.params === undefined ? {} : { params: route.params }),
    ...(route.query === undefined ? {} : { querystring: route.query }),
    ...(route.body === undefined ? {} : route.body === 'binary' ? { consumes: ['application/octet-stream'], body: z.any().meta({ type: 'string', contentMediaType: 'application/octet-stream' }) } : { body: route.body }),
    response: { ...errors(route), ...success(id, route) },
  };
}
