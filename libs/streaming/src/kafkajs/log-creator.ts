import type { Logger } from '@metarec/runtime';
import { logLevel, type logCreator } from 'kafkajs';

import type { ClientLogLevel } from '../client-options.js';

/** Maps our words to kafkajs's numeric levels. */
export const CLIENT_LOG_LEVELS: Readonly<Record<ClientLogLevel, logLevel>> = {
  nothing: logLevel.NOTHING,
  error: logLevel.ERROR,
  warn: logLevel.WARN,
  info: logLevel.INFO,
  debug: logLevel.DEBUG,
};

/**
 * kafkajs warns on every idempotent producer whose retries are bounded. We bound them on purpose
 * (KafkaClientOptions.retries): kafkajs has no delivery timeout, so unbounded retries would let
 * `send()` hang forever on a dead broker instead of failing with STREAM_SEND_FAILED. The choice is
 * documented on ProducerOptions.idempotent, so the warning is demoted to debug.
 */
const DEMOTED_WARNINGS = new Set(['Limiting retries for the idempotent producer may invalidate EoS guarantees']);

/**
 * kafkajs's Connection logs every protocol error response at ERROR ("Response GroupCoordinator
 * ...: The group coordinator is not available"), including the ones its retrier then handles, as
 * on every first use of a fresh broker. Failures that survive the retries reach the caller as a
 * StreamingError, so these per-response lines are debug detail.
 */
function isRetriedResponseError(namespace: string, message: string): boolean {
  return namespace === 'Connection' && message.startsWith('Response ');
}

/** Routes kafkajs's log entries into our structured logger instead of its console default. */
export function kafkaJsLogCreator(logger: Logger): logCreator {
  const child = logger.child({ component: 'kafkajs' });
  return () => (entry) => {
    const { message, ...extra } = entry.log;
    const fields = { namespace: entry.namespace, ...extra };
    const demoted = DEMOTED_WARNINGS.has(message) || isRetriedResponseError(entry.namespace, message);
    const level = demoted ? logLevel.DEBUG : entry.level;
    switch (level) {
      case logLevel.ERROR:
        child.error(fields, message);
        return;
      case logLevel.WARN:
        child.warn(fields, message);
        return;
      case logLevel.INFO:
        child.info(fields, message);
        return;
      default:
        child.debug(fields, message);
    }
  };
}
