import { createServer } from 'node:net';

import { describe, expect, it } from 'vitest';

import { checkService, ServiceUnavailableError } from './service-check.js';
import { freePort } from './free-port.js';

describe('checkService', () => {
  it('reports a listening service as available with its address', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const check = await checkService('kafka', { KAFKA_BROKERS: `127.0.0.1:${port},other:9092` });
    server.close();
    expect(check).toEqual({ service: 'kafka', available: true, address: `127.0.0.1:${port},other:9092` });
  });

  it('skips locally naming services:up, and throws under CI=true', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const local = await checkService('redis', { REDIS_URL: url });
    expect(local.available).toBe(false);
    expect(!local.available && local.skipReason).toContain('npm run services:up');
    await expect(checkService('redis', { REDIS_URL: url, CI: 'true' })).rejects.toBeInstanceOf(ServiceUnavailableError);
  });
});
