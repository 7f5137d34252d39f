import { frameworkErrorAnswer, type Logger, type ParserErrorCodes } from '@metarec/runtime';
import { isRequestValidationError } from '@metarec/runtime/http';
import { ServingError, type ServingErrorCode } from '@metarec/serving';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodError } from 'zod';

/** The one table from error codes to HTTP statuses (STYLE.md). */
export const STATUS_OF: Readonly<Record<ServingErrorCode, number>> = {
  SERVING_INPUT_INVALID: 400,
  SERVING_NOT_READY: 503,
  SERVING_FEEDBACK_UNAVAILABLE: 503,
  SERVING_CLOSED: 503,
  SERVING_AUTH_MISSING: 401,
  SERVING_AUTH_INVALID: 401,
  SERVING_RATE_LIMITED: 429,
  SERVING_URI_TOO_LONG: 414,
  SERVING_HEADERS_TOO_LARGE: 431,
  SERVING_BUNDLE_REFUSED: 500,
  SERVING_OPTIONS_INVALID: 500,
};

/** Codes for refusals answered before any route runs (fastify's `frameworkErrors` and `clientErrorHandler`). */
export const PARSER_ERROR_CODES = {
  invalid: 'SERVING_INPUT_INVALID',
  uriTooLong: 'SERVING_URI_TOO_LONG',
  headersTooLarge: 'SERVING_HEADERS_TOO_LARGE',
} as const satisfies ParserErrorCodes & Record<string, ServingErrorCode>;

/** Body of every error response. */
export interface ErrorBody {
  readonly code: string;
  readonly message: string;
  readonly field?: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** A zod failure as a 400 naming the first offending field, prefixed by where it was (`query.k`). */
export function fromZod(error: ZodError, where: 'params' | 'query' | 'body'): ServingError {
  const issue = error.issues[0];
  const keys = issue?.code === 'unrecognized_keys' ? issue.keys : [];
  const path = [...(issue?.path ?? []), ...keys.slice(0, 1)].map(String).join('.');
  const field = path === '' ? where : where === 'params' ? path : `${where}.${path}`;
  const reason = issue?.code === 'unrecognized_keys' ? `unknown field "${keys.join('", "')}"` : (issue?.message ?? 'invalid');
  return new ServingError('SERVING_INPUT_INVALID', `${field}: ${reason}`, { field, cause: error });
}

/**
 * fastify's error handler: codes through the table; fastify's own 4xx (bad JSON, media type) as 400
 * on `body`; the rest 500. Every 5xx is logged once through `logger` (fastify's request logger is
 * off on this hot path) with its code, route and method, never the request's payload. A 503 with a
 * known retry time (`details.retryAfterMs`) carries a `Retry-After` header.
 */
export function createErrorHandler(logger: Logger): (error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) => FastifyReply {
  return (thrown, request, reply) => {
    // A route schema's zod failure: the same 400 naming the field as a handler's parse.
    const error = isRequestValidationError(thrown) ? fromZod(thrown.zodError, thrown.part === 'querystring' ? 'query' : thrown.part === 'params' ? 'params' : 'body') : thrown;
    const where = { route: request.routeOptions.url ?? 'unmatched', method: request.method };
    if (error instanceof ServingError) {
      const status = STATUS_OF[error.code];
      if (status >= 500) {
        logger.error({ ...where, status, code: error.code, reason: error.message, cause: causeOf(error) }, 'request failed');
      }
      const retryAfterMs = error.details['retryAfterMs'];
      if ((status === 503 || status === 429) && typeof retryAfterMs === 'number') {
        reply.header('retry-after', String(Math.max(1, Math.ceil(retryAfterMs / 1000))));
      }
      const body: ErrorBody = {
        code: error.code,
        message: error.message,
        ...(error.field === undefined ? {} : { field: error.field }),
        ...(Object.keys(error.details).length === 0 ? {} : { details: error.details }),
      };
      return reply.code(status).send(body);
    }
    const statusCode = (error as FastifyError).statusCode;
    if (statusCode !== undefined && statusCode >= 400 && statusCode < 500) {
      const body: ErrorBody = { code: 'SERVING_INPUT_INVALID', message: error.message, field: 'body' };
      return reply.code(400).send(body);
    }
    logger.error({ ...where, status: 500, code: 'SERVING_INTERNAL', err: error }, 'unexpected error');
    return reply.code(500).send({ code: 'SERVING_INTERNAL', message: 'internal error' } satisfies ErrorBody);
  };
}

/** The message of an error's cause, for the log line (not the response). */
function causeOf(error: ServingError): string | undefined {
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? cause.message : undefined;
}

/** fastify's `frameworkErrors` (failures before routing), answered in the documented body. */
export function frameworkErrorHandler(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const answer = frameworkErrorAnswer(PARSER_ERROR_CODES, error);
  void reply.status(answer.status).send(answer.body);
}
