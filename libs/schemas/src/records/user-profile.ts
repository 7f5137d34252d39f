import { field } from '../definition/field-builders.js';
import { defineRecordSchema, type RecordInput, type RecordOf } from '../definition/record-schema.js';
import { parseRecord, validateRecord, type ValidationResult } from '../validation/validate-record.js';
import type { ValidationOptions } from '../validation/validation-options.js';

/**
 * A user's side information (schema `user_profile`, version 1). Demographics are categorical
 * labels (dictionary-encoded) and nullable: a new user often has none, and the encoder maps
 * null to the reserved "unknown" index 0. `user_id` is plain Utf8: it is unique per row, so a
 * dictionary would only add an index column.
 *
 * - `age_bucket` e.g. `"25-34"` (MovieLens 1M: `"25"`), `gender`, `occupation`, `region`
 *   (e.g. a postcode prefix).
 * - `updated_at_ms`: when this profile was last changed, epoch ms UTC.
 */
export const UserProfileSchema = defineRecordSchema({
  name: 'user_profile',
  version: 1,
  fields: {
    user_id: field.id(),
    age_bucket: field.label({ nullable: true }),
    gender: field.label({ nullable: true }),
    occupation: field.label({ nullable: true }),
    region: field.label({ nullable: true }),
    updated_at_ms: field.timestampMs(),
  },
});

/** A validated user profile. */
export type UserProfile = RecordOf<typeof UserProfileSchema>;
/** A user profile as a producer writes it: nullable fields may be omitted. */
export type UserProfileInput = RecordInput<typeof UserProfileSchema>;

/** {@link validateRecord} with {@link UserProfileSchema}. */
export function validateUserProfile(input: unknown, options?: ValidationOptions): ValidationResult<UserProfile> {
  return validateRecord(UserProfileSchema, input, options);
}

/** {@link parseRecord} with {@link UserProfileSchema}: the record, or throws a `SchemaValidationError`. */
export function parseUserProfile(input: unknown, options?: ValidationOptions): UserProfile {
  return parseRecord(UserProfileSchema, input, options);
}
