import { Validator } from '@seriousme/openapi-schema-validator';
import type { FastifyInstance } from 'fastify';

import { registeredRoutes } from '../http/register-openapi.js';

/** What a check reads of an operation in the document. */
interface Operation {
  readonly parameters?: readonly { readonly name: string; readonly in: string }[];
  readonly requestBody?: unknown;
  readonly responses?: Readonly<Record<string, { readonly description?: string; readonly content?: Readonly<Record<string, { readonly schema?: unknown }>> }>>;
}

/** `/models/:model/files/*` as OpenAPI writes it: `/models/{model}/files/{*}` (what @fastify/swagger emits). */
function openApiPath(url: string): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, '{$1}').replace(/\*$/, '{*}');
}

function hasSchema(response: { readonly content?: Readonly<Record<string, { readonly schema?: unknown }>> } | undefined): boolean {
  return Object.values(response?.content ?? {}).some((media) => media.schema !== undefined);
}

/**
 * Why each route of `app` (added after `registerOpenApi`) is not properly documented in `document`;
 * empty when all are. A route must be hidden on purpose (`schema.hide`) or be in the document with:
 * every success (2xx) response with a body schema (or a described empty body), a params schema
 * when the path has parameters, and, when it takes input (parameters or a body), a 400 or 4XX response whose
 * body has a schema (the documented error body). HEAD twins of GET routes are skipped.
 */
export function undocumentedRoutes(app: FastifyInstance, document: unknown): string[] {
  const paths = ((document as { paths?: unknown }).paths ?? {}) as Readonly<Record<string, Readonly<Record<string, Operation>>>>;
  const problems: string[] = [];
  for (const route of registeredRoutes(app)) {
    if (route.hidden || (route.method === 'HEAD' && !route.headExposed)) {
      continue;
    }
    const name = `${route.method} ${route.url}`;
    const operation = paths[openApiPath(route.url)]?.[route.method.toLowerCase()];
    if (operation === undefined) {
      problems.push(`${name}: not in the document`);
      continue;
    }
    const responses = Object.entries(operation.responses ?? {});
    const success = responses.filter(([status]) => /^2/.test(status));
    // A route without a response schema gets @fastify/swagger's bare `{ description: 'Default Response' }`.
    const documented = ([, response]: [string, { readonly description?: string; readonly content?: unknown }]): boolean =>
      hasSchema(response as Parameters<typeof hasSchema>[0]) || (response.content === undefined && response.description !== 'Default Response');
    if (success.length === 0 || !success.every(documented)) {
      problems.push(`${name}: no response schema for its success status`);
    }
    if (/[:*]/.test(route.url) && !route.paramsSchema) {
      problems.push(`${name}: has path parameters but no params schema`);
    }
    const takesInput = (operation.parameters ?? []).length > 0 || operation.requestBody !== undefined;
    if (takesInput && !hasSchema(operation.responses?.['400'] ?? operation.responses?.['4XX'])) {
      problems.push(`${name}: takes input but documents no 400 error body`);
    }
  }
  return problems;
}

/** Validates `document` against the OpenAPI schema of its version; returns the errors (empty when valid). */
export async function openApiDocumentErrors(document: unknown): Promise<unknown[]> {
  const validator = new Validator();
  const result = await validator.validate(structuredClone(document) as Record<string, unknown>);
  return result.valid ? [] : [result.errors].flat();
}
