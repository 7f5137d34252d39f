import { z } from 'zod';

import { API_PREFIX, errorBodySchema, ROUTES, type RouteSpec } from './contract.js';

/** An OpenAPI 3.1 document (plain JSON). */
export type OpenApiDocument = Readonly<Record<string, unknown>>;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  // `unrepresentable: 'any'` keeps z.unknown() and transforms from failing the whole document.
  return z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Record<string, unknown>;
}

function errorResponse(description: string): Record<string, unknown> {
  return { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
}

function operation(id: string, route: RouteSpec): Record<string, unknown> {
  const parameters: Record<string, unknown>[] = (route.params ?? []).map((name) => ({
    name: name === '*' ? 'path' : name,
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  if (route.query !== undefined) {
    const properties = (jsonSchema(route.query, 'input')['properties'] ?? {}) as Record<string, unknown>;
    for (const [name, schema] of Object.entries(properties)) {
      parameters.push({ name, in: 'query', required: false, schema });
    }
  }
  const responses: Record<string, unknown> = {
    [String(route.status)]:
      route.response === 'none'
        ? { description: 'OK' }
        : route.response === 'binary'
          ? { description: 'OK', content: { 'application/octet-stream': { schema: { type: 'string', contentMediaType: 'application/octet-stream' } } } }
          : { description: 'OK', content: { 'application/json': { schema: jsonSchema(route.response, 'output') } } },
    '400': errorResponse('Invalid request; `field` names the offending field'),
    '404': errorResponse('Unknown model, version, alias or blob'),
  };
  if (route.access !== 'public') {
    responses['401'] = errorResponse('Missing bearer token');
    responses['403'] = errorResponse('Wrong bearer token');
  }
  if (route.method !== 'GET' && route.method !== 'HEAD') {
    responses['409'] = errorResponse('Conflict (immutable version, gate refusal, archived version)');
  }
  const op: Record<string, unknown> = {
    operationId: id,
    summary: route.summary,
    parameters,
    responses,
    ...(route.access === 'write' || route.access === 'read' ? { security: [{ bearer: [] }] } : {}),
  };
  if (route.body !== undefined) {
    op['requestBody'] = {
      required: true,
      content:
        route.body === 'binary'
          ? { 'application/octet-stream': { schema: { type: 'string', contentMediaType: 'application/octet-stream' } } }
          : { 'application/json': { schema: jsonSchema(route.body, 'input') } },
    };
  }
  return op;
}

/**
 * The OpenAPI 3.1 document of the registry API, generated from the zod schemas in `ROUTES`, so
 * the document and the validation can never disagree.
 */
export function buildOpenApiDocument(info: { readonly title?: string; readonly version: string }): OpenApiDocument {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [id, route] of Object.entries(ROUTES) as [string, RouteSpec][]) {
    const path = `${API_PREFIX}${route.path}`.replace(/:([a-zA-Z0-9]+)/g, '{$1}').replace(/\*$/, '{path}');
    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = operation(id, route);
  }
  return {
    openapi: '3.1.0',
    info: { title: info.title ?? 'metarec model registry', version: info.version },
    paths,
    components: {
      schemas: { Error: jsonSchema(errorBodySchema, 'output') },
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'Writes always; reads when REGISTRY_READ_AUTH=true' } },
    },
  };
}
