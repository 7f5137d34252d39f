import { formatIssuePath, type PageRequest, RegistryError } from '@metarec/registry';
import type { z } from 'zod';

/**
 * Parses a request part (body, query) with a contract schema; a failure is a 400 naming the
 * first offending field (`reason`, `version`, `manifest.files[0].path`).
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, part: 'body' | 'query'): z.output<S> {
  const result = schema.safeParse(value ?? {});
  if (result.success) {
    return result.data;
  }
  const issue = result.error.issues[0];
  const path = issue === undefined ? '' : formatIssuePath(issue.path);
  throw new RegistryError('REG_INVALID_INPUT', `invalid ${part}: ${path || part}: ${issue?.message ?? 'invalid'}`, { field: path || part, cause: result.error });
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
