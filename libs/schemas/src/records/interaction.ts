import { field } from '../definition/field-builders.js';
import { defineRecordSchema, type RecordInput, type RecordOf } from '../definition/record-schema.js';
import type { FieldIssue } from '../errors/schema-validation-error.js';
import { parseRecord, validateRecord, type ValidationResult } from '../validation/validate-record.js';
import type { ValidationOptions } from '../validation/validation-options.js';

/** The kinds of user–item event metarec ingests, in a fixed order (also their dictionary order). */
export const INTERACTION_EVENT_TYPES = ['view', 'click', 'rating', 'purchase'] as const;

/** One of {@link INTERACTION_EVENT_TYPES}. */
export type InteractionEventType = (typeof INTERACTION_EVENT_TYPES)[number];

/** Inclusive bounds of an explicit rating (MovieLens 1M stars; 5-point scales generally). */
export const RATING_MIN = 1;
/** See {@link RATING_MIN}. */
export const RATING_MAX = 5;

function ratingRule(record: { readonly event_type: InteractionEventType; readonly value: number | null }): FieldIssue[] {
  if (record.event_type !== 'rating') {
    return [];
  }
  if (record.value === null) {
    return [{ code: 'SCHEMA_FIELD_MISSING', field: 'value', reason: 'is required when event_type is "rating"' }];
  }
  if (record.value < RATING_MIN || record.value > RATING_MAX) {
    const reason = `must be between ${RATING_MIN} and ${RATING_MAX} when event_type is "rating", got ${record.value}`;
    return [{ code: 'SCHEMA_FIELD_RANGE', field: 'value', reason }];
  }
  return [];
}

/**
 * One user–item event (schema `interaction`, version 1).
 *
 * - `user_id`, `item_id`: ids (dictionary-encoded: each repeats across many events).
 * - `event_type`: view | click | rating | purchase.
 * - `value`: a rating's stars, required and within [1, 5] for `rating`; for view/click/purchase
 *   optional and ≥ 0 when given (e.g. dwell seconds, quantity); fractional values allowed.
 * - `timestamp_ms`: event time, epoch ms UTC.
 * - `session_id`, `device`: optional context.
 */
export const InteractionSchema = defineRecordSchema({
  name: 'interaction',
  version: 1,
  fields: {
    user_id: field.id({ dictionary: true }),
    item_id: field.id({ dictionary: true }),
    event_type: field.enumOf(INTERACTION_EVENT_TYPES),
    value: field.float64({ nullable: true, min: 0 }),
    timestamp_ms: field.timestampMs(),
    session_id: field.id({ nullable: true }),
    device: field.label({ nullable: true }),
  },
  check: ratingRule,
});

/** A validated interaction: every key present, optional ones `null` when absent. */
export type Interaction = RecordOf<typeof InteractionSchema>;
/** An interaction as a producer writes it: optional fields may be omitted. */
export type InteractionInput = RecordInput<typeof InteractionSchema>;

/** {@link validateRecord} with {@link InteractionSchema}. */
export function validateInteraction(input: unknown, options?: ValidationOptions): ValidationResult<Interaction> {
  return validateRecord(InteractionSchema, input, options);
}

/** {@link parseRecord} with {@link InteractionSchema}: the record, or throws a `SchemaValidationError`. */
export function parseInteraction(input: unknown, options?: ValidationOptions): Interaction {
  return parseRecord(InteractionSchema, input, options);
}
