import { createTokenVerifier, isRegistryError } from '@metarec/registry';
import { env } from '@metarec/runtime';
import { z } from 'zod';

/** Token entries checked as the verifier will take them: a bad one is a config error (one line, exit 2), not a stack trace. */
function checkTokens(entries: string[], ctx: z.RefinementCtx): void {
  try {
    createTokenVerifier(entries);
  } catch (error) {
    if (!isRegistryError(error)) {
      throw error;
    }
    ctx.addIssue({ code: 'custom', message: error.message });
  }
}

/** Every environment variable of the registry app, with its default (printed by `describeConfig`). */
export const registryConfigSchema = z.object({
  REGISTRY_HOST: env.string('interface to listen on').default('0.0.0.0'),
  REGISTRY_PORT: env.port("HTTP port (serving's and the registry CLI's REGISTRY_URL default to it)").default(8081),
  DATABASE_URL: env.url('PostgreSQL URL of the metadata database', ['postgres:', 'postgresql:']).default('postgres://metarec:metarec@localhost:55432/metarec'),
  REGISTRY_DB_SCHEMA: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'expected a lower-case SQL identifier').default('public').describe('schema holding the registry tables'),
  REGISTRY_DB_POOL_MAX: env.int('max pooled pg connections', { min: 1, max: 200 }).default(10),
  REGISTRY_ARTIFACT_DIR: env.string('directory of the content-addressed artifact store').default('.data/registry/artifacts'),
  REGISTRY_IMPORT_ROOT: env.string('directory (a volume the trainer writes to) bundles may be registered from by relative path; unset disables it').optional(),
  REGISTRY_TOKENS: env.list('write tokens as principal:token, comma-separated (the principal is the audit actor)').superRefine(checkTokens).optional(),
  REGISTRY_READ_AUTH: env.boolean('require a bearer token for reads too').default(false),
  REGISTRY_MAX_UPLOAD_BYTES: env.int('largest accepted blob upload, bytes', { min: 1024 }).default(512 * 1024 * 1024),
  REGISTRY_GATED_ALIASES: env.list('aliases whose moves go through the promotion gate').default(['production']),
  REGISTRY_GATE_SCENARIO: env.string('scenario the gate compares (the trainer records its held-out users as held-out-users)').default('held-out-users'),
  REGISTRY_GATE_METRIC: env.string('metric the gate compares').default('mae'),
  REGISTRY_GATE_BETTER: env.oneOf(['higher', 'lower'], 'direction of improvement of the gate metric').default('lower'),
  REGISTRY_GATE_TOLERANCE: env.number('largest allowed regression, absolute, in metric units', { min: 0 }).default(0.005),
  REGISTRY_NOTIFY_CHANNEL: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/).default('metarec_registry_alias').describe('pg LISTEN/NOTIFY channel for alias moves'),
  REGISTRY_LONG_POLL_MAX_MS: env.int('longest long-poll a client may ask for, ms', { min: 1000, max: 60_000 }).default(30_000),
  REGISTRY_SHUTDOWN_DEADLINE_MS: env.int('SIGTERM drain deadline, ms', { min: 100 }).default(10_000),
  LOG_LEVEL: env.oneOf(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'], 'log level').default('info'),
  GIT_COMMIT: env.string('commit printed by --version and logged at start (unset: git rev-parse HEAD in a checkout)').optional(),
});

/** The registry app's typed configuration. */
export type RegistryConfig = z.output<typeof registryConfigSchema>;
