import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createClientErrorHandler, frameworkErrorAnswer } from './parser-error-handlers.js';

const CODES = { invalid: 'X_INVALID', uriTooLong: 'X_URI_TOO_LONG', headersTooLarge: 'X_HEADERS_TOO_LARGE' };

/** Writes raw bytes to a real Node HTTP server and reads until it closes. */
async function rawExchange(port: number, raw: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => socket.end(raw));
    const parts: Buffer[] = [];
    socket.on('data', (part: Buffer) => parts.push(part));
    socket.on('close', () => resolve(Buffer.concat(parts).toString('utf8')));
    socket.on('error', reject);
  });
}

describe('createClientErrorHandler', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = createServer((_request, response) => response.end('ok'));
    server.on('clientError', createClientErrorHandler(CODES));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => new Promise<void>((resolve) => server.close(() => resolve())));

  it.each([
    ['oversized headers', `GET / HTTP/1.1\r\nhost: x\r\nx-filler: ${'a'.repeat(20_000)}\r\n\r\n`, 431, { code: 'X_HEADERS_TOO_LARGE', message: 'the request headers are too large', field: 'headers' }],
    ['bytes that are not HTTP', 'HELLO\r\n\r\n', 400, { code: 'X_INVALID', message: 'the request is malformed', field: 'request' }],
  ])('answers %s with the status and the documented body, then closes', async (_name, raw, status, body) => {
    const answer = await rawExchange(port, raw);
    const [head = '', text = ''] = answer.split('\r\n\r\n');
    expect(head.split('\r\n')[0]).toBe(`HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : 'Bad Request'}`);
    expect(head).toContain('connection: close');
    expect(Number(/content-length: (\d+)/.exec(head)?.[1])).toBe(Buffer.byteLength(text));
    expect(JSON.parse(text)).toEqual(body);
  });
});

describe('frameworkErrorAnswer', () => {
  it('answers a too-long path segment 414 and any other pre-routing failure 400, both naming the url', () => {
    expect(frameworkErrorAnswer(CODES, { code: 'FST_ERR_MAX_PARAM_LENGTH' })).toEqual({ status: 414, body: { code: 'X_URI_TOO_LONG', message: 'a path segment of the URL is too long', field: 'url' } });
    expect(frameworkErrorAnswer(CODES, { code: 'FST_ERR_BAD_URL' })).toEqual({ status: 400, body: { code: 'X_INVALID', message: 'the URL is malformed', field: 'url' } });
  });
});
