import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import { describeConfig } from './describe-config.js';
import { env } from './env.js';

describe('describeConfig', () => {
  it('lists variables with description, requiredness and default in order', () => {
    const schema = z.object({
      REDIS_URL: env.url('Redis URL'),
      HTTP_PORT: env.port('HTTP port').default(8080),
      TRACE: env.boolean('trace requests').optional(),
    });
    expect(describeConfig(schema)).toEqual([
      { variable: 'REDIS_URL', description: 'Redis URL', required: true },
      { variable: 'HTTP_PORT', description: 'HTTP port', required: false, defaultValue: '8080' },
      { variable: 'TRACE', description: 'trace requests', required: false },
    ]);
  });
});
