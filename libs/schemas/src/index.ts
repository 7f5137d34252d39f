// Model-input contract (encoded rows) shared by datasets, meta-learning and serving.
export type { CategoricalField, FeatureLayout } from './encoding/feature-layout.js';
export type { EncodedRows, UserTask } from './encoding/encoded-rows.js';
export { assertRowsMatchLayout } from './encoding/encoded-rows.js';

// Errors.
export type { SchemaErrorCode } from './errors/schema-error.js';
export { SchemaError } from './errors/schema-error.js';
export type { FieldIssue, FieldIssueCode } from './errors/schema-validation-error.js';
export { SchemaValidationError } from './errors/schema-validation-error.js';
export type { SchemaFileErrorCode } from './errors/schema-file-error.js';
export { SchemaFileError } from './errors/schema-file-error.js';
export { SchemaDefinitionError } from './errors/schema-definition-error.js';

// Definition DSL.
export type {
  BaseValueOf,
  ElementField,
  EnumField,
  FieldDef,
  FieldMap,
  Float64Field,
  Int32Field,
  ListField,
  NumericMapField,
  RecordInputOfFields,
  RecordOfFields,
  StringField,
  TimestampMsField,
  ValueOf,
} from './definition/field.js';
export { ID_MAX_LENGTH } from './definition/field-builders.js';
export type { RecordInput, RecordOf, RecordSchema } from './definition/record-schema.js';

// Validation.
export type { UnknownFieldPolicy, ValidationOptions } from './validation/validation-options.js';
export type { ValidationResult } from './validation/validate-record.js';
export { validateRecord } from './validation/validate-record.js';
export type { TextRuleOptions } from './validation/text-rules.js';
export { textRuleViolation } from './validation/text-rules.js';

// The three record schemas.
export type { Interaction, InteractionEventType, InteractionInput } from './records/interaction.js';
export { INTERACTION_EVENT_TYPES, InteractionSchema, RATING_MAX, RATING_MIN, validateInteraction } from './records/interaction.js';
export type { UserProfile } from './records/user-profile.js';
export { UserProfileSchema, validateUserProfile } from './records/user-profile.js';
export type { ItemProfile } from './records/item-profile.js';
export { ItemProfileSchema, validateItemProfile } from './records/item-profile.js';

// Wire contract: every Kafka message the system writes or reads (key, JSON payload, headers,
// decoding with reasons) and the dead-letter record.
export type { WireHeaders } from './wire/wire-headers.js';
export { SCHEMA_FINGERPRINT_HEADER, SCHEMA_VERSION_HEADER, wireHeaders } from './wire/wire-headers.js';
export type { EncodeRecordOptions, WireRecord } from './wire/encode-record.js';
export { encodeRecord } from './wire/encode-record.js';
export type { WireDecodeOptions, WireDecodeResult, WireInput, WireRejectReason } from './wire/decode-record.js';
export { decodeRecord } from './wire/decode-record.js';
export type { DeadLetter, DeadLetterRecord, DeadLetterRecordOptions, DeadLetterSource } from './wire/dead-letter-record.js';
export { DEAD_LETTER_HEADERS, deadLetterRecordBytes, MIN_DEAD_LETTER_BYTES, toDeadLetterRecord } from './wire/dead-letter-record.js';

// Arrow tables and IPC.
export type { RecordsToTableOptions } from './arrow/records-to-table.js';
export { recordsToTable } from './arrow/records-to-table.js';
export type { TableToRecordsOptions } from './arrow/table-to-records.js';
export { tableToRecords } from './arrow/table-to-records.js';
export { writeIpcFile } from './arrow/write-ipc.js';
export type { IpcReadResult, ReadIpcOptions } from './arrow/read-ipc.js';
export { readIpc, readIpcRecords } from './arrow/read-ipc.js';

// Versioning.
export type { SchemaRegistry } from './versioning/schema-registry.js';
