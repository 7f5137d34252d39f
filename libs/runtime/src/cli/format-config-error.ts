import type { ConfigError } from '../errors.js';

/**
 * A `ConfigError` as one line for stderr, naming each bad variable and why:
 * `ingest: invalid configuration: INGEST_PORT: expected an integer in [1, 65535], got 70000; LOG_LEVEL: … (ingest --help-config lists every variable)`.
 * Values are not echoed beyond what the schema's message says (URLs and tokens may be secret).
 */
export function formatConfigError(name: string, error: ConfigError): string {
  const issues = error.issues.map((issue) => `${issue.variable}: ${issue.message.replace(/\s*\n\s*/g, ' ')}`);
  return `${name}: invalid configuration: ${issues.join('; ')} (${name} --help-config lists every variable)`;
}
