import { invalidOption, requireInt } from './errors.js';

/** Options of `KafkaClient.createProducer`. */
export interface ProducerOptions {
  /**
   * Idempotent producer: the broker drops duplicates that client retries would otherwise write
   * (as the Java client does by default since Kafka 3.0). Implies acks from all in-sync replicas
   * and one request in flight per broker. Retries stay bounded by `KafkaClientOptions.retries`
   * (kafkajs has no delivery timeout): a send that still fails is reported as
   * `STREAM_SEND_FAILED`, and re-sending it may then write a duplicate. @defaultValue `true`
   */
  readonly idempotent?: boolean;
  /** `all` waits for every in-sync replica, `leader` for the leader only. @defaultValue `'all'` */
  readonly acks?: 'all' | 'leader';
  /** Batch compression; kafkajs ships only gzip without plugins. @defaultValue `'none'` */
  readonly compression?: 'none' | 'gzip';
  /** Broker-side time to wait for the acks, in ms. @defaultValue `30_000` */
  readonly ackTimeoutMs?: number;
}

/** Defaults laid under `ProducerOptions`. */
export const DEFAULT_PRODUCER_OPTIONS = {
  idempotent: true,
  acks: 'all',
  compression: 'none',
  ackTimeoutMs: 30_000,
} as const satisfies Required<ProducerOptions>;

/** Kafka's `acks` numbers for our words. */
export const ACKS = { all: -1, leader: 1 } as const;
const COMPRESSIONS = ['none', 'gzip'] as const;

/** Throws `STREAM_OPTIONS_INVALID` on a bad producer option; returns the merged options. */
export function resolveProducerOptions(options: ProducerOptions): Required<ProducerOptions> {
  const merged = { ...DEFAULT_PRODUCER_OPTIONS, ...options };
  if (!(merged.acks in ACKS)) {
    throw invalidOption('acks', `expected 'all' or 'leader', got "${String(merged.acks)}"`);
  }
  if (merged.idempotent && merged.acks !== 'all') {
    throw invalidOption('acks', "an idempotent producer needs acks 'all'");
  }
  if (!COMPRESSIONS.includes(merged.compression)) {
    throw invalidOption('compression', `expected 'none' or 'gzip', got "${String(merged.compression)}"`);
  }
  requireInt('ackTimeoutMs', merged.ackTimeoutMs, 1, 2_147_483_647);
  return merged;
}
