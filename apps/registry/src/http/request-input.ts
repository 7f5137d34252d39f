import { formatIssuePath, type PageRequest, RegistryError } from '@metarec/registry';
import type { RequestPart } from '@metarec/runtime/http';
import type { z } from 'zod';

/** A request part as the error messages name it. */
export type InputPart = 'body' | 'query' | 'params' | 'headers';

/**
 * A zod failure on a request part as the 400 the API documents: `REG_INVALID_INPUT` naming the
 * first offending field (`reason`, `version`, `manifest.files[0].path`), or the part itself.
 */
export function invalidInput(error: z.ZodError, part: InputPart): RegistryError {
  const issue = error.issues[0];
  const path = issue === undefined ? '' : formatIssuePath(issue.path);
  return new RegistryError('REG_INVALID_INPUT', `invalid ${part}: ${path || part}: ${issue?.message ?? 'invalid'}`, { field: path || part, cause: error });
}

/** fastify's name of a request part (`querystring`) as the error messages name it (`query`). */
export function inputPart(part: RequestPart): InputPart {
  return part === 'querystring' ? 'query' : part;
}

/**
 * Parses a request part with a contract schema in a handler; a failure is the same 400 as a route
 * schema's. Routes with zod route schemas get parsed parts from fastify and need not call it.
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, part: 'body' | 'query'): z.output<S> {
  const result = schema.safeParse(value ?? {});
  if (result.success) {
    return result.data;
  }
  throw invalidInput(result.error, part);
}

/** Route params as fastify gives them. */
export type RawParams = Readonly<Record<string, string | undefined>>;

/** A path parameter that must be present (fastify guarantees it for declared params). */
export function param(params: unknown, name: string): string {
  const value = (params as RawParams)[name];
  if (value === undefined) {
    throw new RegistryError('REG_INVALID_INPUT', `missing path parameter ${name}`, { field: name });
  }
  return value;
}

/** A parsed page query as the lib's `PageRequest` (an absent token stays absent). */
export function pageOf(query: { readonly limit: number; readonly pageToken?: string | undefined }): PageRequest {
  return { limit: query.limit, ...(query.pageToken === undefined ? {} : { pageToken: query.pageToken }) };
}
