import { SHARE_ENV, Worker } from 'node:worker_threads';

import { describe, expect, it } from 'vitest';

import { computeThreadOptions } from './compute-pool.js';

describe('compute thread options', () => {
  it('share the process environment, so TensorFlow settings a thread writes reach TensorFlow', async () => {
    const options = computeThreadOptions({ eval: true, execArgv: undefined }, {});
    expect(options.env).toBe(SHARE_ENV);
    // What SHARE_ENV buys: a write in the thread is the process's (a private copy would keep it).
    const name = `METAREC_COMPUTE_POOL_TEST_${process.pid}`;
    const worker = new Worker(`process.env[${JSON.stringify(name)}] = 'set in thread';`, options);
    await new Promise((resolve, reject) => {
      worker.on('exit', resolve);
      worker.on('error', reject);
    });
    expect(process.env[name]).toBe('set in thread');
  });
});
