import { env } from '@metarec/runtime';
import { z } from 'zod';

/** Environment of the co-occurrence rebuild job (`co-occurrence.ts`), with defaults. */
export const coOccurrenceConfigSchema = z.object({
  OFFLINE_STORE_DIR: env.string('root directory of the offline Arrow store').default('.data/offline-store'),
  REDIS_URL: env.url('Redis URL of the online store', ['redis:', 'rediss:']).default('redis://localhost:6380'),
  ONLINE_KEY_PREFIX: env.string('prefix of every online-store Redis key').default('metarec:fs:'),
  CO_OCCURRENCE_WINDOW: env.int("an interaction pairs with this many of the user's latest distinct items", { min: 1 }).default(5),
  CO_OCCURRENCE_DAYS: env.int('count the interactions of this many UTC days, ending today', { min: 1 }).default(7),
  CO_OCCURRENCE_MAX_PER_ITEM: env.int('followers kept per item (top by count)', { min: 1 }).default(200),
  LOG_LEVEL: env.oneOf(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'], 'log level').default('info'),
});

/** The co-occurrence job's typed configuration. */
export type CoOccurrenceConfig = z.output<typeof coOccurrenceConfigSchema>;
