import { errorBodySchema, type RouteId, type RouteSpec } from '@metarec/registry';
import { z } from 'zod';

/** Bytes on the wire (files, blobs, tarballs): documented, never parsed or serialized by zod. */
const bytes = (mediaType: string): z.ZodString => z.string().meta({ contentMediaType: mediaType });

/** An error response: the one named `Error` schema (a `$ref` in the document) under its own description. */
interface ErrorResponse {
  readonly description: string;
  readonly content: { readonly 'application/json': { readonly schema: typeof errorBodySchema } };
}

const errorBody = (description: string): ErrorResponse => ({ description, content: { 'application/json': { schema: errorBodySchema } } });

/** Where a binary response's media type is known in advance. */
const BINARY_MEDIA_TYPE: Partial<Record<RouteId, string>> = { getTarball: 'application/gzip', getBlob: 'application/octet-stream' };

function success(id: RouteId, route: RouteSpec): Record<number, unknown> {
  if (route.response === 'none') {
    return { [route.status]: z.undefined().describe('Stored'), 404: z.undefined().describe('Not stored') };
  }
  if (route.response === 'binary') {
    // getFile answers with the file's own content type (manifest `contentType`), hence `*/*`.
    const mediaType = BINARY_MEDIA_TYPE[id] ?? '*/*';
    return { [route.status]: { description: 'The bytes, verified against their sha256', content: { [mediaType]: { schema: bytes(mediaType) } } } };
  }
  // A create route answers 200 instead of 201 when the same thing was registered before (idempotent retry).
  return route.status === 201 && route.method === 'POST' && id !== 'createModel' ? { 200: route.response, 201: route.response } : { [route.status]: route.response };
}

function errors(route: RouteSpec): Record<number, ErrorResponse> {
  const responses: Record<number, ErrorResponse> = {
    400: errorBody('Invalid request; `field` names the offending field'),
    404: errorBody('Unknown model, version, alias, blob or route'),
    500: errorBody('Internal error (the message is generic; the log has the details)'),
  };
  if (route.access !== 'public') {
    responses[401] = errorBody('Missing bearer token (writes always; reads when REGISTRY_READ_AUTH=true)');
    responses[403] = errorBody('Wrong bearer token');
  }
  if (route.method === 'POST' || route.method === 'PUT') {
    responses[409] = errorBody('Conflict: immutable or archived version, gate refusal, existing model');
    responses[413] = errorBody('Body larger than the server accepts');
  }
  return responses;
}

/**
 * The fastify route schema of a contract route: zod validates params, query and body and checks
 * the response, and `@fastify/swagger` turns the same schemas into the OpenAPI operation.
 */
export function routeSchema(id: RouteId, route: RouteSpec): Record<string, unknown> {
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
