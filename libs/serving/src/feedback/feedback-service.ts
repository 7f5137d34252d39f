import { encodeRecord, InteractionSchema, validateInteraction, type Interaction } from '@metarec/schemas';
import type { EventProducer } from '@metarec/streaming';

import type { UserModelCache } from '../cache/user-model-cache.js';
import { reasonOf, ServingError } from '../errors.js';
import type { ServingMetrics } from '../metrics/serving-metrics.js';
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
  /** Clock for the timestamp bounds of validation, epoch ms. @defaultValue `Date.now` */
  readonly now?: () => number;
}

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

  constructor(private readonly options: FeedbackServiceOptions) {
    this.now = options.now ?? Date.now;
  }

  /**
   * @throws ServingError `SERVING_INPUT_INVALID` naming the first bad field (details.issues lists all);
   * `SERVING_FEEDBACK_UNAVAILABLE` when Kafka did not acknowledge (nothing was applied; retry).
   */
  async submit(body: unknown): Promise<FeedbackReceipt> {
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
    let receipts;
    try {
      receipts = await this.options.producer.send(this.options.topic, [
        encodeRecord(InteractionSchema, event, { timestampMs: event.timestamp_ms }),
      ]);
    } catch (error) {
      this.options.metrics?.feedback.inc({ outcome: 'unavailable' });
      throw new ServingError('SERVING_FEEDBACK_UNAVAILABLE', `feedback not recorded: ${reasonOf(error)}`, { cause: error });
    }
    this.options.pending.add(event);
    this.options.cache.invalidate(event.user_id);
    this.options.metrics?.feedback.inc({ outcome: 'accepted' });
    const receipt = receipts[0];
    return { event, partition: receipt?.partition ?? -1, offset: receipt?.baseOffset.toString() ?? '' };
  }
}
