/**
 * The field-definition DSL. A field definition is plain data: it says how a value is typed in
 * TypeScript, how it is stored in Arrow and how it is validated. `defineRecordSchema` derives
 * everything else (Arrow schema, record type, validator, encoder, decoder) from a map of these.
 */

/** Text rules shared by string fields and string list elements. */
export interface StringField<N extends boolean = boolean> {
  readonly kind: 'string';
  readonly nullable: N;
  /** Store as `Dictionary<Int32, Utf8>`: pays when values repeat across rows (ids in events, labels). */
  readonly dictionary: boolean;
  /** Minimum length in UTF-16 code units. */
  readonly minLength: number;
  /** Maximum length in UTF-16 code units. */
  readonly maxLength: number;
  /**
   * Reject leading/trailing whitespace. On for ids and labels: `" 42"` and `"42"` would
   * otherwise become two vocabulary entries without anyone noticing.
   */
  readonly trimmed: boolean;
}

/** A string restricted to a closed set of values; stored as `Dictionary<Int8, Utf8>`. */
export interface EnumField<V extends string = string, N extends boolean = boolean> {
  readonly kind: 'enum';
  readonly nullable: N;
  readonly values: readonly V[];
}

/** A 32-bit signed integer, inclusive bounds. */
export interface Int32Field<N extends boolean = boolean> {
  readonly kind: 'int32';
  readonly nullable: N;
  readonly min: number;
  readonly max: number;
}

/** A finite double (NaN and ±Infinity are rejected), inclusive bounds. */
export interface Float64Field<N extends boolean = boolean> {
  readonly kind: 'float64';
  readonly nullable: N;
  readonly min: number;
  readonly max: number;
}

/**
 * Epoch milliseconds (UTC), an integer number in TypeScript, `Timestamp<MILLISECOND, UTC>` in
 * Arrow (int64 underneath; see `bigIntToSafeNumber` for how it comes back). Sanity bounds come
 * from the validation options (clock passed in), not from the definition.
 */
export interface TimestampMsField<N extends boolean = boolean> {
  readonly kind: 'timestampMs';
  readonly nullable: N;
}

/** A field allowed as a list element: never null itself. */
export type ElementField = StringField<false> | EnumField<string, false> | Int32Field<false> | Float64Field<false>;

/** A variable-length list (`List<element>` in Arrow); the list itself may be empty. */
export interface ListField<E extends ElementField = ElementField, N extends boolean = boolean> {
  readonly kind: 'list';
  readonly nullable: N;
  readonly element: E;
  /** Maximum number of elements. */
  readonly maxItems: number;
  /** Reject repeated elements (a category listed twice would double its multi-hot weight). */
  readonly unique: boolean;
}

/**
 * A string-keyed map of finite numbers, e.g. numeric item attributes
 * (`{ runtime_min: 94, popularity: 0.3 }`); `Map<Utf8, Float64>` in Arrow. Keys follow `key`'s
 * text rules and values `value`'s bounds.
 */
export interface NumericMapField<N extends boolean = boolean> {
  readonly kind: 'numericMap';
  readonly nullable: N;
  readonly key: StringField<false>;
  readonly value: Float64Field<false>;
  /** Maximum number of entries. */
  readonly maxEntries: number;
}

/** Any field definition. */
export type FieldDef =
  | StringField
  | EnumField
  | Int32Field
  | Float64Field
  | TimestampMsField
  | ListField
  | NumericMapField;

/** The field map of a record schema: column name → definition, in column order. */
export type FieldMap = Readonly<Record<string, FieldDef>>;

/** The non-null TypeScript value of a field definition. */
export type BaseValueOf<F> = F extends EnumField<infer V, boolean>
  ? V
  : F extends StringField
    ? string
    : F extends Int32Field | Float64Field | TimestampMsField
      ? number
      : F extends ListField<infer E, boolean>
        ? readonly BaseValueOf<E>[]
        : F extends NumericMapField
          ? Readonly<Record<string, number>>
          : never;

/** The TypeScript value of a field definition, `| null` unless it is known to be non-nullable. */
export type ValueOf<F> = F extends { readonly nullable: false } ? BaseValueOf<F> : BaseValueOf<F> | null;

type NullableKeys<F extends FieldMap> = { [K in keyof F]: F[K] extends { readonly nullable: false } ? never : K }[keyof F];
type RequiredKeys<F extends FieldMap> = Exclude<keyof F, NullableKeys<F>>;
type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** A validated record: every field present, nullable ones as `null` when absent. */
export type RecordOfFields<F extends FieldMap> = Simplify<{ readonly [K in keyof F]: ValueOf<F[K]> }>;

/** What a producer may hand in: nullable fields may be omitted (they are read as `null`). */
export type RecordInputOfFields<F extends FieldMap> = Simplify<
  { readonly [K in RequiredKeys<F>]: ValueOf<F[K]> } & { readonly [K in NullableKeys<F>]?: ValueOf<F[K]> }
>;
