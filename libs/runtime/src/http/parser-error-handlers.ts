import type { Socket } from 'node:net';

/** The error codes an app answers parser and router refusals with, in its own documented body. */
export interface ParserErrorCodes {
  /** A malformed request or URL (400) and a request not received in time (408). */
  readonly invalid: string;
  /** A path parameter beyond the router's `maxParamLength` (414). */
  readonly uriTooLong: string;
  /** Headers beyond Node's limit (431). */
  readonly headersTooLarge: string;
}

/** `{ code, message, field }`: the body shape both HTTP apps document for every error. */
export interface ParserErrorBody {
  readonly code: string;
  readonly message: string;
  readonly field: string;
}

/**
 * The answer to fastify's `frameworkErrors` (failures before routing: a path parameter beyond
 * `maxParamLength`, a malformed URL), in the app's documented body instead of fastify's own.
 */
export function frameworkErrorAnswer(codes: ParserErrorCodes, error: { readonly code?: string }): { readonly status: number; readonly body: ParserErrorBody } {
  return error.code === 'FST_ERR_MAX_PARAM_LENGTH'
    ? { status: 414, body: { code: codes.uriTooLong, message: 'a path segment of the URL is too long', field: 'url' } }
    : { status: 400, body: { code: codes.invalid, message: 'the URL is malformed', field: 'url' } };
}

/**
 * fastify's `clientErrorHandler`: what Node's HTTP parser refuses (headers beyond its limit, bytes
 * that are not HTTP, a request too slow to arrive) never reaches a route, so the answer is written
 * to the socket here, in the same body shape, and the connection is closed.
 */
export function createClientErrorHandler(codes: ParserErrorCodes): (error: NodeJS.ErrnoException, socket: Socket) => void {
  return (error, socket) => {
    // A reset connection has no one left to answer.
    if (error.code === 'ECONNRESET' || socket.destroyed) {
      return;
    }
    const [status, reason, body]: [number, string, ParserErrorBody] =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'Request Header Fields Too Large', { code: codes.headersTooLarge, message: 'the request headers are too large', field: 'headers' }]
        : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? [408, 'Request Timeout', { code: codes.invalid, message: 'the request was not received in time', field: 'request' }]
          : [400, 'Bad Request', { code: codes.invalid, message: 'the request is malformed', field: 'request' }];
    const text = JSON.stringify(body);
    if (socket.writable) {
      socket.write(`HTTP/1.1 ${status} ${reason}\r\nconnection: close\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
    }
    socket.destroy(error);
  };
}
