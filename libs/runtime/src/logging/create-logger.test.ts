import { Writable } from 'node:stream';

import { describe, expect, it } from 'vitest';

import { RuntimeOptionsError } from '../errors.js';
import { createLogger } from './create-logger.js';

function capture(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback): void {
      chunks.push(chunk.toString());
      callback();
    },
  });
  const lines = (): Record<string, unknown>[] =>
    chunks.join('').split('\n').filter((line) => line.length > 0).map((line) => JSON.parse(line) as Record<string, unknown>);
  return { stream, lines };
}

describe('createLogger', () => {
  it('writes JSON lines with level label, name, base fields and redacted secrets', () => {
    const { stream, lines } = capture();
    const logger = createLogger({ name: 'trainer', base: { pod: 'p1' }, redactPaths: ['config.redisUrl'], destination: stream });
    logger.info({ config: { redisUrl: 'redis://secret', topic: 't' } }, 'started');
    logger.debug('hidden below info');
    const [line] = lines();
    expect(lines()).toHaveLength(1);
    expect(line).toMatchObject({ level: 'info', name: 'trainer', pod: 'p1', msg: 'started' });
    expect(line?.['config']).toEqual({ redisUrl: '[redacted]', topic: 't' });
    expect(typeof line?.['time']).toBe('string');
  });

  it('rejects an unknown level and an empty name before creating anything', () => {
    expect(() => createLogger({ name: 'x', level: 'loud' as never })).toThrow(RuntimeOptionsError);
    expect(() => createLogger({ name: ' ' })).toThrow(/name/);
  });
});
