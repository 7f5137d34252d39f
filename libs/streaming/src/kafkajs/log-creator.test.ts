import { Writable } from 'node:stream';

import { createLogger } from '@metarec/runtime';
import { logLevel } from 'kafkajs';
import { describe, expect, it } from 'vitest';

import { kafkaJsLogCreator } from './log-creator.js';

describe('kafkaJsLogCreator', () => {
  it('writes kafkajs entries through our logger with their level, namespace and fields, demoting the bounded-retries warning and retried response errors', () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, callback): void {
        lines.push(chunk.toString());
        callback();
      },
    });
    const logger = createLogger({ name: 'test', level: 'debug', destination });
    const log = kafkaJsLogCreator(logger)(logLevel.INFO);
    log({ namespace: 'Consumer', level: logLevel.WARN, label: 'WARN', log: { message: 'rebalancing', timestamp: 't', groupId: 'g' } });
    log({ namespace: 'Producer', level: logLevel.ERROR, label: 'ERROR', log: { message: 'boom', timestamp: 't' } });
    log({ namespace: 'Producer', level: logLevel.WARN, label: 'WARN', log: { message: 'Limiting retries for the idempotent producer may invalidate EoS guarantees', timestamp: 't' } });
    log({ namespace: 'Connection', level: logLevel.ERROR, label: 'ERROR', log: { message: 'Response GroupCoordinator(key: 10, version: 2)', timestamp: 't' } });
    const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(parsed[0]).toMatchObject({ level: 'warn', component: 'kafkajs', namespace: 'Consumer', groupId: 'g', msg: 'rebalancing' });
    expect(parsed[1]).toMatchObject({ level: 'error', namespace: 'Producer', msg: 'boom' });
    // The bounded-retries warning is a documented choice, demoted to debug.
    expect(parsed[2]).toMatchObject({ level: 'debug', msg: 'Limiting retries for the idempotent producer may invalidate EoS guarantees' });
    // Per-response protocol errors that kafkajs retries are debug detail too.
    expect(parsed[3]).toMatchObject({ level: 'debug', namespace: 'Connection' });
  });
});
