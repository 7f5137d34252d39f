import { type z } from 'zod';

import { type RequestPart, RequestValidationError } from './request-validation-error.js';

/** What fastify hands a validator compiler (a subset of `FastifyRouteSchemaDef`). */
export interface ValidatorCompilerInput {
  readonly schema: unknown;
  readonly httpPart?: string;
}

/** A compiled validator in fastify's `{ value } | { error }` shape. */
export type CompiledValidator = (data: unknown) => { value: unknown } | { error: Error };

const PARTS: ReadonlySet<string> = new Set<RequestPart>(['body', 'querystring', 'params', 'headers']);

function isZodSchema(schema: unknown): schema is z.ZodType {
  return typeof schema === 'object' && schema !== null && typeof (schema as { safeParse?: unknown }).safeParse === 'function';
}

/**
 * fastify's `validatorCompiler` for zod route schemas. Unlike fastify-type-provider-zod's (which
 * flattens issue paths into `/a/0/b` strings), a failure keeps the `ZodError`, so `files[0].path`
 * stays distinguishable from `files.0.path`. The parsed value (defaults, transforms) replaces the
 * request part. A request without a body is validated as `{}`: an empty POST means "all defaults",
 * as the routes read it before schemas moved to the route.
 */
export function zodValidatorCompiler({ schema, httpPart }: ValidatorCompilerInput): CompiledValidator {
  if (!isZodSchema(schema)) {
    throw new TypeError(`route schema for ${httpPart ?? 'a request part'} is not a zod schema`);
  }
  const part: RequestPart = httpPart !== undefined && PARTS.has(httpPart) ? (httpPart as RequestPart) : 'body';
  return (data) => {
    const result = schema.safeParse(part === 'body' && (data === null || data === undefined) ? {} : data);
    return result.success ? { value: result.data } : { error: new RequestValidationError(part, result.error) };
  };
}
