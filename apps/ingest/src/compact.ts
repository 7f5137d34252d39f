// Compaction job (run from one place at a time, e.g. a Kubernetes CronJob beside the ingest
// Deployment): merges small offline files per date and topic-partition, removes stale temp files.
import { compactOfflineStore, RECORD_KINDS, type RecordKind } from '@metarec/feature-store';
import { createLogger, readBuildInfo, runServiceCli } from '@metarec/runtime';

import { compactConfigSchema } from './compact-config.js';

const cli = await runServiceCli({
  name: 'ingest-compact',
  description: 'One compaction pass over the offline store: merges small files per date and topic-partition, removes stale temp files. Configured by environment variables only.',
  configSchema: compactConfigSchema,
  buildInfo: readBuildInfo({ packageJsonUrl: [new URL('../package.json', import.meta.url), new URL('package.json', import.meta.url)], env: process.env }),
  argv: process.argv,
  env: process.env,
});
if (cli.kind === 'exit') {
  process.exit(cli.code);
}
const config = cli.config;
const logger = createLogger({ name: 'ingest-compact', level: config.LOG_LEVEL });
const unknown = config.COMPACT_KINDS.filter((kind) => !(RECORD_KINDS as readonly string[]).includes(kind));
if (unknown.length > 0) {
  logger.error({ unknown, known: RECORD_KINDS }, 'COMPACT_KINDS holds unknown record kinds');
  process.exit(2);
}
let failed = false;
for (const kind of config.COMPACT_KINDS as RecordKind[]) {
  try {
    const report = await compactOfflineStore({
      root: config.OFFLINE_STORE_DIR,
      kind,
      date: config.COMPACT_DATE,
      minFiles: config.COMPACT_MIN_FILES,
      staleTempMs: config.COMPACT_STALE_TEMP_MS,
    });
    logger.info({ kind, written: report.written.length, deleted: report.deleted.length, tempFilesRemoved: report.tempFilesRemoved.length, rows: report.rows }, 'compacted');
  } catch (error) {
    failed = true;
    logger.error({ kind, err: error }, 'compaction failed');
  }
}
process.exit(failed ? 1 : 0);
