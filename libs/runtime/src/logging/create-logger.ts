import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';

import { RuntimeOptionsError } from '../errors.js';

/** The structured logger every metarec lib receives through its options (pino's API). */
export type Logger = PinoLogger;

/** Log levels, most verbose first. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

/** One of `LOG_LEVELS`. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Options of `createLogger`. */
export interface LoggerOptions {
  /** Service or component name, logged as `name` on every line. */
  readonly name: string;
  /** Minimum level written. @defaultValue `'info'` */
  readonly level?: LogLevel;
  /** Fields added to every line (e.g. `{ version, pod }`). @defaultValue `{}` */
  readonly base?: Readonly<Record<string, string | number | boolean>>;
  /**
   * Paths whose values are replaced by `[redacted]` (pino redact syntax, e.g. `'config.redisUrl'`),
   * so secrets in config never reach the logs. @defaultValue `[]`
   */
  readonly redactPaths?: readonly string[];
  /** Where lines go; tests pass a stream to capture them. @defaultValue stdout */
  readonly destination?: DestinationStream;
}

/** Defaults laid under `LoggerOptions`. */
export const DEFAULT_LOGGER_OPTIONS = {
  level: 'info',
  base: {},
  redactPaths: [],
} as const satisfies Omit<Required<LoggerOptions>, 'name' | 'destination'>;

/**
 * Creates a JSON-lines logger (pino): one object per line with `level` as a label, ISO `time`,
 * `name` and the `base` fields. Apps create one in `main.ts` and pass children to libs.
 *
 * @throws RuntimeOptionsError (`RT_OPTIONS_INVALID`) when `name` is empty or `level` unknown.
 */
export function createLogger(options: LoggerOptions): Logger {
  const merged = { ...DEFAULT_LOGGER_OPTIONS, ...options };
  if (merged.name.trim() === '') {
    throw new RuntimeOptionsError('name', 'must not be empty');
  }
  if (!(LOG_LEVELS as readonly string[]).includes(merged.level)) {
    throw new RuntimeOptionsError('level', `expected one of ${LOG_LEVELS.join(', ')}, got "${merged.level}"`);
  }
  const pinoOptions = {
    name: merged.name,
    level: merged.level,
    base: { ...merged.base },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Level as a word: log pipelines filter on "warn", not on 40.
    formatters: { level: (label: string) => ({ level: label }) },
    redact: { paths: [...merged.redactPaths], censor: '[redacted]' },
  };
  return merged.destination === undefined ? pino(pinoOptions) : pino(pinoOptions, merged.destination);
}
