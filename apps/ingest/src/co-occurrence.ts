// Co-occurrence rebuild job (run from one place at a time, e.g. a Kubernetes CronJob every few
// minutes beside the ingest Deployment): recounts item-to-item co-occurrence over the last
// CO_OCCURRENCE_DAYS of the offline store and swaps the online store's `co:<item>` sets.
import { OfflineReader, rebuildCoOccurrence, utcDateOf } from '@metarec/feature-store';
import { createLogger, readBuildInfo, runServiceCli } from '@metarec/runtime';
import { Redis } from 'ioredis';

import { coOccurrenceConfigSchema } from './co-occurrence-config.js';

const cli = await runServiceCli({
  name: 'ingest-co-occurrence',
  description: "Rebuilds the online store's item co-occurrence sets from the last days of the offline store. Configured by environment variables only.",
  configSchema: coOccurrenceConfigSchema,
  buildInfo: readBuildInfo({ packageJsonUrl: [new URL('../package.json', import.meta.url), new URL('package.json', import.meta.url)], env: process.env }),
  argv: process.argv,
  env: process.env,
});
if (cli.kind === 'exit') {
  process.exit(cli.code);
}
const config = cli.config;
const logger = createLogger({ name: 'ingest-co-occurrence', level: config.LOG_LEVEL });
const now = Date.now();
const range = { fromDate: utcDateOf(now - (config.CO_OCCURRENCE_DAYS - 1) * 86_400_000), toDate: utcDateOf(now) };
const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 3 });
let failed = false;
try {
  const started = performance.now();
  const report = await rebuildCoOccurrence({
    reader: new OfflineReader({ root: config.OFFLINE_STORE_DIR }),
    redis,
    range,
    keyPrefix: config.ONLINE_KEY_PREFIX,
    window: config.CO_OCCURRENCE_WINDOW,
    maxPerItem: config.CO_OCCURRENCE_MAX_PER_ITEM,
  });
  logger.info({ ...report, ...range, ms: Math.round(performance.now() - started) }, 'co-occurrence rebuilt');
} catch (error) {
  failed = true;
  logger.error({ err: error, ...range }, 'co-occurrence rebuild failed');
} finally {
  redis.disconnect();
}
process.exit(failed ? 1 : 0);
