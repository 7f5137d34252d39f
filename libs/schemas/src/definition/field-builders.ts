import { SchemaDefinitionError } from '../errors/schema-definition-error.js';
import type {
  ElementField,
  EnumField,
  Float64Field,
  Int32Field,
  ListField,
  NumericMapField,
  StringField,
  TimestampMsField,
} from './field.js';

/** Longest id accepted (user, item, session ids): fits any UUID, URN or hashed key with room. */
export const ID_MAX_LENGTH = 128;
/** Longest categorical label (gender, occupation, category, map key). */
export const LABEL_MAX_LENGTH = 64;
/** Enum dictionaries use Int8 indices, so at most 127 values. */
const ENUM_MAX_VALUES = 127;

/** Options every field takes. */
export interface NullableOption {
  /** The value may be `null` (or absent in input). @defaultValue false */
  readonly nullable?: boolean;
}

// A literal `true`/`false` (or no flag) is tracked exactly; a flag only known as `boolean`
// stays `boolean`, which the record type treats as nullable (the safe side). `keyof` rather
// than `extends { nullable?: … }`: an all-optional target is a weak type and would not match.
type NullableFlag<O> = O extends { readonly nullable?: infer N } ? Exclude<N, undefined> : never;
type NullableOf<O> = 'nullable' extends keyof O
  ? [NullableFlag<O>] extends [never]
    ? false
    : [NullableFlag<O>] extends [false]
      ? false
      : [NullableFlag<O>] extends [true]
        ? true
        : boolean
  : false;

/** Options of {@link field.string}. */
export interface StringOptions extends NullableOption {
  /** @defaultValue false */
  readonly dictionary?: boolean;
  /** @defaultValue 1 */
  readonly minLength?: number;
  /** @defaultValue 1024 */
  readonly maxLength?: number;
  /** Reject leading/trailing whitespace. @defaultValue false */
  readonly trimmed?: boolean;
}

/** Options of {@link field.int32} and {@link field.float64}: inclusive bounds. */
export interface NumberOptions extends NullableOption {
  readonly min?: number;
  readonly max?: number;
}

/** Options of {@link field.list}. */
export interface ListOptions extends NullableOption {
  /** @defaultValue 256 */
  readonly maxItems?: number;
  /** @defaultValue false */
  readonly unique?: boolean;
}

/** Options of {@link field.numericMap}. */
export interface NumericMapOptions extends NullableOption {
  /** @defaultValue 64 */
  readonly maxEntries?: number;
}

function nullable<O extends NullableOption>(options: O | undefined): NullableOf<O> {
  return (options?.nullable === true) as NullableOf<O>;
}

function checkBounds(kind: string, min: number, max: number): void {
  if (Number.isNaN(min) || Number.isNaN(max) || min > max) {
    throw new SchemaDefinitionError(`${kind} field bounds are invalid: min ${min}, max ${max}`);
  }
}

function string<const O extends StringOptions = { nullable: false }>(options?: O): StringField<NullableOf<O>> {
  const minLength = options?.minLength ?? 1;
  const maxLength = options?.maxLength ?? 1024;
  checkBounds('string length', minLength, maxLength);
  return {
    kind: 'string',
    nullable: nullable(options),
    dictionary: options?.dictionary ?? false,
    minLength,
    maxLength,
    trimmed: options?.trimmed ?? false,
  };
}

function id<const O extends NullableOption & { readonly dictionary?: boolean } = { nullable: false }>(
  options?: O,
): StringField<NullableOf<O>> {
  return { ...string({ minLength: 1, maxLength: ID_MAX_LENGTH, trimmed: true, dictionary: options?.dictionary }), nullable: nullable(options) };
}

function label<const O extends NullableOption = { nullable: false }>(options?: O): StringField<NullableOf<O>> {
  return { ...string({ minLength: 1, maxLength: LABEL_MAX_LENGTH, trimmed: true, dictionary: true }), nullable: nullable(options) };
}

function enumOf<const V extends string, const O extends NullableOption = { nullable: false }>(
  values: readonly V[],
  options?: O,
): EnumField<V, NullableOf<O>> {
  if (values.length === 0 || values.length > ENUM_MAX_VALUES || new Set(values).size !== values.length) {
    throw new SchemaDefinitionError(`enum needs 1..${ENUM_MAX_VALUES} distinct values, got [${values.join(', ')}]`);
  }
  return { kind: 'enum', nullable: nullable(options), values: [...values] };
}

function int32<const O extends NumberOptions = { nullable: false }>(options?: O): Int32Field<NullableOf<O>> {
  const min = options?.min ?? -(2 ** 31);
  const max = options?.max ?? 2 ** 31 - 1;
  checkBounds('int32', min, max);
  if (!Number.isInteger(min) || !Number.isInteger(max) || min < -(2 ** 31) || max > 2 ** 31 - 1) {
    throw new SchemaDefinitionError(`int32 bounds must be 32-bit integers: min ${min}, max ${max}`);
  }
  return { kind: 'int32', nullable: nullable(options), min, max };
}

function float64<const O extends NumberOptions = { nullable: false }>(options?: O): Float64Field<NullableOf<O>> {
  const min = options?.min ?? -Number.MAX_VALUE;
  const max = options?.max ?? Number.MAX_VALUE;
  checkBounds('float64', min, max);
  return { kind: 'float64', nullable: nullable(options), min, max };
}

function timestampMs<const O extends NullableOption = { nullable: false }>(options?: O): TimestampMsField<NullableOf<O>> {
  return { kind: 'timestampMs', nullable: nullable(options) };
}

function list<E extends ElementField, const O extends ListOptions = { nullable: false }>(
  element: E,
  options?: O,
): ListField<E, NullableOf<O>> {
  const maxItems = options?.maxItems ?? 256;
  checkBounds('list size', 0, maxItems);
  return { kind: 'list', nullable: nullable(options), element, maxItems, unique: options?.unique ?? false };
}

function numericMap<const O extends NumericMapOptions = { nullable: false }>(options?: O): NumericMapField<NullableOf<O>> {
  const maxEntries = options?.maxEntries ?? 64;
  checkBounds('map size', 0, maxEntries);
  return {
    kind: 'numericMap',
    nullable: nullable(options),
    key: { ...string({ maxLength: LABEL_MAX_LENGTH, trimmed: true }), nullable: false },
    value: float64(),
    maxEntries,
  };
}

/**
 * Field-definition builders for {@link defineRecordSchema}. Every builder takes
 * `{ nullable?: boolean }` (default false); the flag is carried in the type, so the derived
 * record type says `T | null` exactly where the data may be null.
 *
 * - `string` free text (default 1..1024 chars); `id` an id (1..{@link ID_MAX_LENGTH} chars,
 *   trimmed, plain Utf8 unless `dictionary: true`); `label` a short categorical label
 *   (1..{@link LABEL_MAX_LENGTH} chars, trimmed, dictionary-encoded).
 * - `enumOf(values)` a closed set of strings; `int32`, `float64` numbers with inclusive bounds;
 *   `timestampMs` epoch milliseconds; `list(element)`; `numericMap()` string → finite number.
 *
 * Every string rejects control characters (U+0000–U+001F, U+007F–U+009F).
 */
export const field = { string, id, label, enumOf, int32, float64, timestampMs, list, numericMap } as const;
