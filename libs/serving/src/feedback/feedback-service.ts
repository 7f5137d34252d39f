import { encodeRecord, InteractionSchema, validateInteraction, type Interaction } from '@metarec/schemas';
import type { EventProducer } from '@metarec/streaming';

import type { UserModelCache } from '../cache/user-model-cache.js';
import { withTimeout } from '../features/feature-reader.js';
import { reasonOf, requireInt, ServingError } from '../errors.js';
import type { Logger } from '@metarec/runtime';
import type { ServingMetrics } from '../metrics/serving-metrics.js';
import { FeedbackAuth } from './feedback-auth.js';
import type { PendingInteractions } from './pending-interactions.js';

/** Options of {@link FeedbackService}. */
export interface FeedbackServiceOptions {
  /** Idempotent producer (created and closed by the app). */
  readonly producer: EventProducer;
  /** The interactions topic ingest consumes, e.g. `metarec.interactions`. */
  readonly topic: string;
  readonly cache: UserModelCache;
  readonly pending: PendingInteractions;
  readonly metrics?: ServingMetrics;
  /** Clock for the timestamp bounds of validation and the Kafka record timestamp, epoch ms. @defaultValue `Date.now` */
  readonly now?: () => number;
  /** A send Kafka has not acknowledged within this is answered 503 (kafkajs alone retries for ~15 s). @defaultValue 2_000 */
  readonly sendTimeoutMs?: number;
  /**
   * After a failed or timed-out send, further events are refused at once for this long (load is
   * shed instead of piling up waiting sends); then one send probes the producer again. @defaultValue 5_000
   */
  readonly cooldownMs?: number;
  /** Where the reason of a failed send goes (the response carries none: it would name brokers and topics). */
  readonly logger?: Logger;
  /** Who may post events (service tokens, per-user session tokens, rates). @defaultValue none configured: feedback refused */
  readonly auth?: FeedbackAuth;
}

/** Defaults of {@link FeedbackServiceOptions}. */
export const DEFAULT_FEEDBACK_OPTIONS = { sendTimeoutMs: 2_000, cooldownMs: 5_000 } as const;

/** What an accepted event became. */
export interface FeedbackReceipt {
  readonly event: Interaction;
  readonly partition: number;
  /** Kafka offset of the event, as a decimal string. */
  readonly offset: string;
}

/**
 * `POST /v1/feedback`: validates the event with the interaction schema (unknown fields rejected),
 * produces it to the interactions topic through the wire contract (`encodeRecord` of
 * `@metarec/schemas`: keyed by user, so one user's events stay ordered; version and fingerprint
 * headers), and once Kafka acknowledged it, overlays it on the user's view and drops the cached
 * user model, so the very next request adapts to it.
 */
export class FeedbackService {
  private readonly now: () => number;
  private readonly sendTimeoutMs: number;
  private readonly cooldownMs: number;
  /** Epoch ms until which sends are refused without trying (the producer failed recently). */
  private refuseUntilMs = 0;
  private readonly auth: FeedbackAuth;

  /** @throws ServingError `SERVING_OPTIONS_INVALID` for a timeout below 1 ms or a negative cooldown. */
  constructor(private readonly options: FeedbackServiceOptions) {
    this.now = options.now ?? Date.now;
    this.auth = options.auth ?? new FeedbackAuth();
    this.sendTimeoutMs = options.sendTimeoutMs ?? DEFAULT_FEEDBACK_OPTIONS.sendTimeoutMs;
    this.cooldownMs = options.cooldownMs ?? DEFAULT_FEEDBACK_OPTIONS.cooldownMs;
    requireInt('sendTimeoutMs', this.sendTimeoutMs, 1);
    requireInt('cooldownMs', this.cooldownMs, 0);
  }

  /**
   * `authorization` is the request's `Authorization` header (see `FeedbackAuth`).
   * @throws ServingError `SERVING_AUTH_MISSING` / `SERVING_AUTH_INVALID` / `SERVING_RATE_LIMITED` (see `FeedbackAuth.authorize`);
   * `SERVING_INPUT_INVALID` naming the first bad field (details.issues lists all);
   * `SERVING_FEEDBACK_UNAVAILABLE` when Kafka did not acknowledge within `sendTimeoutMs`, or a send
   * failed less than `cooldownMs` ago (nothing was applied here; `details.retryAfterMs`). A send that
   * timed out may still reach Kafka later; a retried rating is then a duplicate the user's support
   * set collapses (one rating per item, the newest).
   */
  async submit(body: unknown, authorization: string | undefined): Promise<FeedbackReceipt> {
    if (authorization === undefined || !this.auth.enabled) {
      this.options.metrics?.feedback.inc({ outcome: 'unauthorized' });
      this.auth.authorize(authorization, '', this.now());
    }
    const result = validateInteraction(body, { nowMs: this.now(), unknownFields: 'reject' });
    if (!result.ok) {
      this.options.metrics?.feedback.inc({ outcome: 'invalid' });
      const error = result.error;
      throw new ServingError('SERVING_INPUT_INVALID', error.message, {
        field: error.field === '' ? 'body' : error.field,
        cause: error,
        details: { issues: error.issues },
      });
    }
    const event = result.record;
    const now = this.now();
    try {
      this.auth.authorize(authorization, event.user_id, now);
    } catch (error) {
      this.options.metrics?.feedback.inc({ outcome: (error as ServingError).code === 'SERVING_RATE_LIMITED' ? 'rate_limited' : 'unauthorized' });
      throw error;
    }
    if (now < this.refuseUntilMs) {
      this.options.metrics?.feedback.inc({ outcome: 'shed' });
      throw unavailable(this.refuseUntilMs - now);
    }
    let receipts;
    try {
      // The record's timestamp is the send time: the broker refuses record timestamps too far from
      // its clock (log.message.timestamp.after.max.ms, 1 h by default) while the schema admits events
      // up to 24 h ahead; the event time travels in the payload.
      receipts = await withTimeout(this.options.producer.send(this.options.topic, [encodeRecord(InteractionSchema, event, { timestampMs: now })]), this.sendTimeoutMs, 'feedback send');
    } catch (error) {
      this.refuseUntilMs = this.now() + this.cooldownMs;
      this.options.metrics?.feedback.inc({ outcome: 'unavailable' });
      this.options.logger?.warn({ reason: reasonOf(error), cooldownMs: this.cooldownMs }, 'feedback send failed: refusing feedback during the cooldown');
      throw unavailable(this.cooldownMs, error);
    }
    this.options.pending.add(event);
    this.options.cache.invalidate(event.user_id);
    this.options.metrics?.feedback.inc({ outcome: 'accepted' });
    const receipt = receipts[0];
    return { event, partition: receipt?.partition ?? -1, offset: receipt?.baseOffset.toString() ?? '' };
  }
}

function unavailable(retryAfterMs: number, cause?: unknown): ServingError {
  return new ServingError('SERVING_FEEDBACK_UNAVAILABLE', 'feedback not recorded: the event log is unavailable, retry later', {
    ...(cause === undefined ? {} : { cause }),
    details: { retryAfterMs },
  });
}
