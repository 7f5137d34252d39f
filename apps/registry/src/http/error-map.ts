import { isRegistryError, type RegistryErrorCode } from '@metarec/registry';
import { frameworkErrorAnswer, type ParserErrorCodes } from '@metarec/runtime';
import { isRequestValidationError } from '@metarec/runtime/http';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import { inputPart, invalidInput } from './request-input.js';

/** The one table from error code to HTTP status (STYLE.md). */
export const HTTP_STATUS_BY_CODE = {
  REG_INVALID_INPUT: 400,
  REG_INVALID_NAME: 400,
  REG_MANIFEST_INVALID: 400,
  REG_ARTIFACT_MISSING: 400,
  REG_CHECKSUM_MISMATCH: 400,
  REG_BUNDLE_UNREADABLE: 400,
  REG_AUTH_MISSING: 401,
  REG_AUTH_INVALID: 403,
  REG_MODEL_NOT_FOUND: 404,
  REG_VERSION_NOT_FOUND: 404,
  REG_ALIAS_NOT_FOUND: 404,
  REG_RUN_NOT_FOUND: 404,
  REG_RUN_CONFLICT: 409,
  REG_ROUTE_NOT_FOUND: 404,
  REG_MODEL_EXISTS: 409,
  REG_VERSION_IMMUTABLE: 409,
  REG_VERSION_ARCHIVED: 409,
  REG_VERSION_IN_USE: 409,
  REG_VERSION_CORRUPT: 409,
  REG_ROLLBACK_NO_PREVIOUS: 409,
  REG_GATE_REFUSED: 409,
  REG_GATE_EVAL_SET_MISMATCH: 409,
  REG_GATE_METRIC_MISSING: 409,
  REG_PAYLOAD_TOO_LARGE: 413,
  REG_ARTIFACT_CORRUPT: 500,
  REG_MIGRATION_FAILED: 500,
  REG_OPTIONS_INVALID: 500,
  REG_HTTP: 502,
  REG_UNAVAILABLE: 503,
  REG_URI_TOO_LONG: 414,
  REG_HEADERS_TOO_LARGE: 431,
  REG_INTERNAL: 500,
} as const satisfies Record<RegistryErrorCode, number>;

/** Codes whose message and details may hold server internals (SQL, file names): clients get a generic text. */
const OPAQUE_CODES: ReadonlySet<RegistryErrorCode> = new Set(['REG_INTERNAL', 'REG_MIGRATION_FAILED', 'REG_OPTIONS_INVALID']);

/** Codes for refusals answered before any route runs (fastify's `frameworkErrors` and `clientErrorHandler`). */
export const PARSER_ERROR_CODES = {
  invalid: 'REG_INVALID_INPUT',
  uriTooLong: 'REG_URI_TOO_LONG',
  headersTooLarge: 'REG_HEADERS_TOO_LARGE',
} as const satisfies ParserErrorCodes & Record<string, RegistryErrorCode>;

/** Fastify's own failures (body parsing, limits) in the same error body shape. */
function fromFastifyError(error: FastifyError): { status: number; code: RegistryErrorCode; field?: string } {
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return { status: 413, code: 'REG_PAYLOAD_TOO_LARGE', field: 'body' };
  }
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    return { status: error.statusCode, code: 'REG_INVALID_INPUT', field: 'body' };
  }
  return { status: 500, code: 'REG_INTERNAL' };
}

/**
 * Answers every failure as `{ code, message, field?, details? }`. A corrupt artifact is logged
 * as an error (someone must repair the store); internal errors hide their message from clients.
 */
export function installErrorHandler(app: FastifyInstance): void {
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({ code: 'REG_ROUTE_NOT_FOUND', message: `no route ${request.method} ${request.url.split('?')[0] ?? ''}`, field: 'url' }),
  );
  app.setErrorHandler((thrown, request, reply) => {
    // A route schema's zod failure becomes the same coded 400 a handler would throw.
    const error = isRequestValidationError(thrown) ? invalidInput(thrown.zodError, inputPart(thrown.part)) : thrown;
    // An answer sent before the body was read (401, 413, a checksum failure) ends the connection,
    // so the rest of a large upload is never read and discarded.
    if (!request.raw.complete) {
      reply.header('connection', 'close');
    }
    if (isRegistryError(error)) {
      const status = HTTP_STATUS_BY_CODE[error.code];
      if (status >= 500) {
        request.log.error({ err: error, code: error.code, details: error.details }, error.message);
      }
      if (OPAQUE_CODES.has(error.code)) {
        return reply.status(status).send({ code: error.code, message: 'internal error' });
      }
      const body = { code: error.code, message: error.message, ...(error.field === undefined ? {} : { field: error.field }), ...(error.details === undefined ? {} : { details: error.details }) };
      return reply.status(status).send(body);
    }
    const mapped = fromFastifyError(error as FastifyError);
    if (mapped.status >= 500) {
      request.log.error({ err: error }, 'unhandled error');
    }
    const message = mapped.status >= 500 ? 'internal error' : (error as Error).message;
    return reply.status(mapped.status).send({ code: mapped.code, message, ...(mapped.field === undefined ? {} : { field: mapped.field }) });
  });
}

/** fastify's `frameworkErrors` (failures before routing), answered in the documented body. */
export function frameworkErrorHandler(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const answer = frameworkErrorAnswer(PARSER_ERROR_CODES, error);
  void reply.status(answer.status).send(answer.body);
}
