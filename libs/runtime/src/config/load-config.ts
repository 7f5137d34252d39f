import type { z } from 'zod';

import { ConfigError, type ConfigIssue } from '../errors.js';

/** The shape of `process.env`: every value a string or absent. */
export type EnvSource = Readonly<Record<string, string | undefined>>;

/**
 * Parses environment variables through an app's zod object schema and returns typed config.
 *
 * Call it once, in an app's `main.ts`; libs receive the typed result through options and never
 * read `process.env`. Keys of the schema are the variable names (`KAFKA_BROKERS`), so an error
 * names exactly what to fix. Use the `env` helpers for the string-to-value conversions.
 *
 * @param schema - a zod object schema keyed by variable name.
 * @param env - where to read from. @defaultValue `process.env`
 * @throws ConfigError (`RT_CONFIG_INVALID`) listing every invalid or missing variable at once.
 */
export function loadConfig<S extends z.ZodType>(schema: S, env: EnvSource = process.env): z.output<S> {
  const result = schema.safeParse(env);
  if (result.success) {
    return result.data;
  }
  const issues: ConfigIssue[] = result.error.issues.map((issue) => {
    const variable = issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)';
    // zod's own words for an absent variable ("expected string, received undefined") read as a type error.
    const unset = issue.code === 'invalid_type' && issue.path.length === 1 && env[variable] === undefined;
    return { variable, message: unset ? 'required, not set' : issue.message };
  });
  throw new ConfigError(issues, { cause: result.error });
}
