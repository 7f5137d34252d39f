import { field } from '../definition/field-builders.js';
import { defineRecordSchema, type RecordInput, type RecordOf } from '../definition/record-schema.js';
import { parseRecord, validateRecord, type ValidationResult } from '../validation/validate-record.js';
import type { ValidationOptions } from '../validation/validation-options.js';

/** Release years outside this range are data errors (silent-film era to well past any catalogue). */
export const RELEASE_YEAR_MIN = 1800;
/** See {@link RELEASE_YEAR_MIN}. */
export const RELEASE_YEAR_MAX = 2100;

/**
 * An item's side information (schema `item_profile`, version 1).
 *
 * - `item_id`: id (plain Utf8, unique per row); `title`: 1..512 characters.
 * - `categories`: distinct labels (e.g. genres), possibly empty; `List<Dictionary<Int32, Utf8>>`.
 * - `release_year`: optional, within [{@link RELEASE_YEAR_MIN}, {@link RELEASE_YEAR_MAX}].
 * - `numeric_attributes`: finite numbers by name (e.g. `{ runtime_min: 94 }`), possibly empty;
 *   the encoder standardises them and fixes their order in the `FeatureLayout`.
 * - `updated_at_ms`: when this profile was last changed, epoch ms UTC.
 */
export const ItemProfileSchema = defineRecordSchema({
  name: 'item_profile',
  version: 1,
  fields: {
    item_id: field.id(),
    title: field.string({ maxLength: 512 }),
    categories: field.list(field.label(), { maxItems: 64, unique: true }),
    release_year: field.int32({ nullable: true, min: RELEASE_YEAR_MIN, max: RELEASE_YEAR_MAX }),
    numeric_attributes: field.numericMap({ maxEntries: 64 }),
    updated_at_ms: field.timestampMs(),
  },
});

/** A validated item profile. */
export type ItemProfile = RecordOf<typeof ItemProfileSchema>;
/** An item profile as a producer writes it: nullable fields may be omitted. */
export type ItemProfileInput = RecordInput<typeof ItemProfileSchema>;

/** {@link validateRecord} with {@link ItemProfileSchema}. */
export function validateItemProfile(input: unknown, options?: ValidationOptions): ValidationResult<ItemProfile> {
  return validateRecord(ItemProfileSchema, input, options);
}

/** {@link parseRecord} with {@link ItemProfileSchema}: the record, or throws a `SchemaValidationError`. */
export function parseItemProfile(input: unknown, options?: ValidationOptions): ItemProfile {
  return parseRecord(ItemProfileSchema, input, options);
}
