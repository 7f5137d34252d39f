import {
  InteractionSchema,
  ItemProfileSchema,
  UserProfileSchema,
  type Interaction,
  type ItemProfile,
  type RecordSchema,
  type UserProfile,
} from '@metarec/schemas';

/** The record types the feature store keeps, each in its own top-level directory of the offline store. */
export const RECORD_KINDS = ['interactions', 'user_profiles', 'item_profiles'] as const;

/** One of {@link RECORD_KINDS}. */
export type RecordKind = (typeof RECORD_KINDS)[number];

/** The validated record type of each kind. */
export interface RecordOfKind {
  readonly interactions: Interaction;
  readonly user_profiles: UserProfile;
  readonly item_profiles: ItemProfile;
}

/** Any record the store accepts. */
export type StoreRecord = RecordOfKind[RecordKind];

/** How a kind is stored: its schema and the field (epoch ms) whose UTC date partitions the files. */
export interface RecordKindSpec {
  readonly kind: RecordKind;
  readonly schema: RecordSchema;
  /** Event time of interactions; change time of profiles. */
  readonly dateField: 'timestamp_ms' | 'updated_at_ms';
}

const SPECS: Readonly<Record<RecordKind, RecordKindSpec>> = {
  interactions: { kind: 'interactions', schema: InteractionSchema, dateField: 'timestamp_ms' },
  user_profiles: { kind: 'user_profiles', schema: UserProfileSchema, dateField: 'updated_at_ms' },
  item_profiles: { kind: 'item_profiles', schema: ItemProfileSchema, dateField: 'updated_at_ms' },
};

/** The storage spec of `kind`. */
export function recordKindSpec(kind: RecordKind): RecordKindSpec {
  return SPECS[kind];
}

/** The epoch-ms time that decides a record's date partition. */
export function eventTimeOf(kind: RecordKind, record: StoreRecord): number {
  const value = (record as unknown as Readonly<Record<string, unknown>>)[SPECS[kind].dateField];
  return value as number;
}
