import type { z } from 'zod';

/** The part of a request a route schema validates (fastify's `httpPart` names). */
export type RequestPart = 'body' | 'querystring' | 'params' | 'headers';

/**
 * A request part failed its route's zod schema. Carries the whole `ZodError` (issue paths keep
 * array indexes as numbers), so each app's error handler names the offending field in its own
 * documented error body. fastify answers it through the app's `setErrorHandler` (status 400).
 */
export class RequestValidationError extends Error {
  override readonly name = 'RequestValidationError';
  readonly code = 'RT_REQUEST_INVALID';
  /** Set for fastify, which reads it when the error reaches a handler without one. */
  readonly statusCode = 400;
  readonly part: RequestPart;
  readonly zodError: z.ZodError;

  constructor(part: RequestPart, zodError: z.ZodError) {
    super(`invalid ${part}: ${zodError.issues[0]?.message ?? 'invalid'}`, { cause: zodError });
    this.part = part;
    this.zodError = zodError;
  }
}

/** Whether `error` is a `RequestValidationError` (also across duplicated module copies). */
export function isRequestValidationError(error: unknown): error is RequestValidationError {
  return error instanceof RequestValidationError || (error instanceof Error && (error as { code?: unknown }).code === 'RT_REQUEST_INVALID' && 'zodError' in error);
}
