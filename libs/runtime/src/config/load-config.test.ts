import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import { ConfigError } from '../errors.js';
import { env } from './env.js';
import { loadConfig } from './load-config.js';

const schema = z.object({
  KAFKA_BROKERS: env.list('Kafka bootstrap brokers').default(['localhost:9092']),
  REDIS_URL: env.url('Redis URL', ['redis:']),
  HTTP_PORT: env.port('HTTP port').default(8080),
  METRICS_ENABLED: env.boolean('expose /metrics').default(true),
  LOG_LEVEL: env.oneOf(['debug', 'info', 'warn'], 'log level').default('info'),
});

describe('loadConfig', () => {
  it('returns typed values, converting strings and applying defaults', () => {
    const config = loadConfig(schema, { REDIS_URL: 'redis://localhost:6380', HTTP_PORT: '3000', METRICS_ENABLED: 'off' });
    expect(config).toEqual({
      KAFKA_BROKERS: ['localhost:9092'],
      REDIS_URL: 'redis://localhost:6380',
      HTTP_PORT: 3000,
      METRICS_ENABLED: false,
      LOG_LEVEL: 'info',
    });
  });

  it('lists every bad variable by name in one ConfigError', () => {
    let caught: unknown;
    try {
      loadConfig(schema, { REDIS_URL: 'http://x', HTTP_PORT: '70000', METRICS_ENABLED: 'maybe', LOG_LEVEL: 'loud' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const error = caught as ConfigError;
    expect(error.code).toBe('RT_CONFIG_INVALID');
    expect(error.issues.map((issue) => issue.variable).sort()).toEqual(['HTTP_PORT', 'LOG_LEVEL', 'METRICS_ENABLED', 'REDIS_URL']);
    expect(error.message).toContain('HTTP_PORT: expected an integer in [1, 65535], got 70000');
    expect(error.message).toContain('METRICS_ENABLED');
  });

  it('names a missing required variable as not set', () => {
    expect(() => loadConfig(schema, {})).toThrow(/REDIS_URL/);
    try {
      loadConfig(schema, {});
    } catch (error) {
      expect((error as ConfigError).issues).toEqual([{ variable: 'REDIS_URL', message: 'required, not set' }]);
    }
    expect.assertions(2);
  });
});
