import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import { describeConfig } from './describe-config.js';
import { env } from './env.js';

describe('describeConfig', () => {
  it('lists variables with description, type, requiredness and default in order', () => {
    const schema = z.object({
      REDIS_URL: env.url('Redis URL', ['redis:', 'rediss:']),
      HTTP_PORT: env.port('HTTP port').default(8080),
      TRACE: env.boolean('trace requests').optional(),
    });
    expect(describeConfig(schema)).toEqual([
      { variable: 'REDIS_URL', description: 'Redis URL', type: 'url (redis:, rediss:)', required: true },
      { variable: 'HTTP_PORT', description: 'HTTP port', type: 'port', required: false, defaultValue: '8080' },
      { variable: 'TRACE', description: 'trace requests', type: 'boolean', required: false },
    ]);
  });

  it('names the type each env helper parses to, bounds included, and writes defaults as they are set', () => {
    const schema = z.object({
      BROKERS: env.list('brokers').default(['a:1', 'b:2']),
      RATE: env.int('rate', { min: 1 }).default(20),
      PARTITIONS: env.int('partitions', { min: 1, max: 1000 }).default(6),
      SHARE: env.number('share', { min: 0, max: 1 }).default(0.1),
      LEVEL: env.oneOf(['info', 'warn'], 'level').default('info'),
      ON: env.boolean('on').default(true),
      NAME: env.string('name').default('x'),
    });
    expect(describeConfig(schema).map((doc) => [doc.variable, doc.type, doc.defaultValue])).toEqual([
      ['BROKERS', 'list', 'a:1,b:2'],
      ['RATE', 'integer >= 1', '20'],
      ['PARTITIONS', 'integer 1..1000', '6'],
      ['SHARE', 'number 0..1', '0.1'],
      ['LEVEL', 'info|warn', 'info'],
      ['ON', 'boolean', 'true'],
      ['NAME', 'string', 'x'],
    ]);
  });

  it('falls back to what a plain zod schema shows when no env helper built it', () => {
    const schema = z.object({
      SCHEMA: z.string().regex(/^[a-z]+$/).default('public').describe('db schema'),
      MODE: z.enum(['a', 'b']).optional(),
      DERIVED: env.string('a transformed string').transform((s) => s.length),
    });
    expect(describeConfig(schema)).toEqual([
      { variable: 'SCHEMA', description: 'db schema', type: 'string', required: false, defaultValue: 'public' },
      { variable: 'MODE', description: '', type: 'a|b', required: false },
      { variable: 'DERIVED', description: '', type: 'string', required: true },
    ]);
  });
});
