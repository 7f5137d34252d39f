import type { Interaction } from '@metarec/schemas';

/** One interaction, the Kafka offset it was read at, and optionally the JSON it came as. */
export interface OffsetInteraction {
  readonly offset: bigint;
  readonly record: Interaction;
  /** Stored instead of `JSON.stringify(record)` when present (see `OnlineEntry.json`). */
  readonly json?: string;
}

/** Settings of the fold that the script needs too. */
export interface FoldSettings {
  /** When > 0, each user's item ids are sent along for per-event co-occurrence. */
  readonly coOccurrenceWindow: number;
  /** Popularity bucket length, ms. */
  readonly popularityBucketMs: number;
}

/**
 * The script arguments after the fixed header (from `ARGV[9]` of `apply-interactions`) for a
 * chunk of one partition's interactions in offset order: one group per user (its event JSONs
 * in offset order, plus its item ids when co-occurrence is on) and one count per popularity
 * bucket and item. Folding here, once per chunk, sends one argument per event instead of five and
 * lets Redis run one LPUSH per user and one ZINCRBY per item and bucket.
 */
export function foldInteractions(entries: readonly OffsetInteraction[], settings: FoldSettings): (string | number)[] {
  const users = new Map<string, OffsetInteraction[]>();
  const buckets = new Map<number, Map<string, number>>();
  const bucketMs = settings.popularityBucketMs;
  for (const entry of entries) {
    const record = entry.record;
    const events = users.get(record.user_id);
    if (events === undefined) {
      users.set(record.user_id, [entry]);
    } else {
      events.push(entry);
    }
    const bucket = record.timestamp_ms - (record.timestamp_ms % bucketMs);
    let counts = buckets.get(bucket);
    if (counts === undefined) {
      counts = new Map();
      buckets.set(bucket, counts);
    }
    counts.set(record.item_id, (counts.get(record.item_id) ?? 0) + 1);
  }
  const args: (string | number)[] = [users.size];
  for (const [user, events] of users) {
    args.push(user, events.length);
    for (const event of events) {
      args.push(event.json ?? JSON.stringify(event.record));
    }
    if (settings.coOccurrenceWindow > 0) {
      for (const event of events) {
        args.push(event.record.item_id);
      }
    }
  }
  args.push(bucketMs, buckets.size);
  for (const [bucket, counts] of buckets) {
    args.push(bucket, counts.size);
    for (const [item, count] of counts) {
      args.push(item, count);
    }
  }
  return args;
}
