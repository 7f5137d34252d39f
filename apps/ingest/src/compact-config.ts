import { env } from '@metarec/runtime';
import { z } from 'zod';

/** Environment of the compaction job (`compact.ts`), with defaults. */
export const compactConfigSchema = z.object({
  OFFLINE_STORE_DIR: env.string('root directory of the offline Arrow store').default('.data/offline-store'),
  COMPACT_KINDS: env.list('record kinds to compact: interactions, user_profiles, item_profiles').default(['interactions', 'user_profiles', 'item_profiles']),
  COMPACT_DATE: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD').optional().describe('only this date (default: every date)'),
  COMPACT_MIN_FILES: env.int('compact a date and topic-partition from this many files', { min: 2 }).default(2),
  COMPACT_STALE_TEMP_MS: env.int('delete temp files of killed writers older than this, ms', { min: 0 }).default(3_600_000),
  LOG_LEVEL: env.oneOf(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'], 'log level').default('info'),
});

/** The compaction job's typed configuration. */
export type CompactConfig = z.output<typeof compactConfigSchema>;
