import type { Logger } from '@metarec/runtime';

import { invalidOption, requireInt, requireNonBlank } from './errors.js';

/** Client library verbosity, as words. */
export type ClientLogLevel = 'error' | 'warn' | 'info' | 'debug' | 'nothing';

const CLIENT_LOG_LEVEL_NAMES: readonly ClientLogLevel[] = ['error', 'warn', 'info', 'debug', 'nothing'];

/** Broker address `host:port` (IPv6 in brackets). */
const BROKER_PATTERN = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;
const MAX_PORT = 65_535;

/** Throws `STREAM_OPTIONS_INVALID` unless every broker is `host:port` and there is at least one. */
export function validateBrokers(brokers: readonly string[]): void {
  if (!Array.isArray(brokers) || brokers.length === 0) {
    throw invalidOption('brokers', 'expected at least one host:port');
  }
  for (const broker of brokers) {
    const match = BROKER_PATTERN.exec(broker);
    const port = Number(match?.[2]);
    if (match === null || port < 1 || port > MAX_PORT) {
      throw invalidOption('brokers', `"${broker}" is not host:port`);
    }
  }
}

/** Parses `KAFKA_BROKERS`-style text (`a:9092, b:9092`) into a broker list. */
export function parseBrokerList(text: string): string[] {
  const brokers = text.split(',').map((broker) => broker.trim()).filter((broker) => broker.length > 0);
  validateBrokers(brokers);
  return brokers;
}

/** Options of every `KafkaClient` (whichever library backs it). Times in ms. */
export interface KafkaClientOptions {
  /** Bootstrap brokers, `host:port` each (see `parseBrokerList` for `KAFKA_BROKERS` text). */
  readonly brokers: readonly string[];
  /** Client id sent to the brokers (quotas, logs), e.g. `'metarec-ingest'`. */
  readonly clientId: string;
  /** Receives the client library's logs; without one they are dropped (libs never print). */
  readonly logger?: Logger;
  /** Client library verbosity. @defaultValue `'warn'` */
  readonly clientLogLevel?: ClientLogLevel;
  /** TCP connect timeout. @defaultValue `3_000` */
  readonly connectionTimeoutMs?: number;
  /** Request timeout. @defaultValue `30_000` */
  readonly requestTimeoutMs?: number;
  /** Retries of a failed request (exponential backoff). @defaultValue `5` */
  readonly retries?: number;
  /** First backoff. @defaultValue `300` */
  readonly initialRetryTimeMs?: number;
  /** Backoff cap. @defaultValue `30_000` */
  readonly maxRetryTimeMs?: number;
}

/** Defaults laid under `KafkaClientOptions`. */
export const DEFAULT_KAFKA_CLIENT_OPTIONS = {
  clientLogLevel: 'warn',
  connectionTimeoutMs: 3_000,
  requestTimeoutMs: 30_000,
  retries: 5,
  initialRetryTimeMs: 300,
  maxRetryTimeMs: 30_000,
} as const satisfies Required<Omit<KafkaClientOptions, 'brokers' | 'clientId' | 'logger'>>;

/** `KafkaClientOptions` with every default applied. */
export type ResolvedClientOptions = KafkaClientOptions & Required<Omit<KafkaClientOptions, 'logger'>>;

/** Throws `STREAM_OPTIONS_INVALID` on a bad client option; returns the merged options. */
export function resolveKafkaClientOptions(options: KafkaClientOptions): ResolvedClientOptions {
  const merged = { ...DEFAULT_KAFKA_CLIENT_OPTIONS, ...options };
  validateBrokers(merged.brokers);
  requireNonBlank('clientId', merged.clientId);
  if (!CLIENT_LOG_LEVEL_NAMES.includes(merged.clientLogLevel)) {
    throw invalidOption('clientLogLevel', `expected one of ${CLIENT_LOG_LEVEL_NAMES.join(', ')}`);
  }
  requireInt('connectionTimeoutMs', merged.connectionTimeoutMs, 1, 600_000);
  requireInt('requestTimeoutMs', merged.requestTimeoutMs, 1, 600_000);
  requireInt('retries', merged.retries, 0, 1_000);
  requireInt('initialRetryTimeMs', merged.initialRetryTimeMs, 1, 600_000);
  requireInt('maxRetryTimeMs', merged.maxRetryTimeMs, merged.initialRetryTimeMs, 3_600_000);
  return merged;
}
