import { expectTypeOf, test } from 'vitest';

import type { Interaction, InteractionInput } from '../records/interaction.js';
import type { ItemProfile } from '../records/item-profile.js';
import type { UserProfile } from '../records/user-profile.js';
import { field } from './field-builders.js';
import { defineRecordSchema, type RecordInput, type RecordOf } from './record-schema.js';

test('the record type follows the field definitions', () => {
  expectTypeOf<Interaction>().toEqualTypeOf<{
    readonly user_id: string;
    readonly item_id: string;
    readonly event_type: 'view' | 'click' | 'rating' | 'purchase';
    readonly value: number | null;
    readonly timestamp_ms: number;
    readonly session_id: string | null;
    readonly device: string | null;
  }>();
  expectTypeOf<ItemProfile['categories']>().toEqualTypeOf<readonly string[]>();
  expectTypeOf<ItemProfile['numeric_attributes']>().toEqualTypeOf<Readonly<Record<string, number>>>();
  expectTypeOf<ItemProfile['release_year']>().toEqualTypeOf<number | null>();
  expectTypeOf<UserProfile['gender']>().toEqualTypeOf<string | null>();
});

test('inputs may omit nullable fields but not required ones', () => {
  expectTypeOf<{ user_id: string; item_id: string; event_type: 'view'; timestamp_ms: number }>().toExtend<InteractionInput>();
  expectTypeOf<{ user_id: string; event_type: 'view'; timestamp_ms: number }>().not.toExtend<InteractionInput>();
  expectTypeOf<Interaction>().toExtend<InteractionInput>();
});

test('a nullable flag only known as boolean makes the value nullable', () => {
  const flag: boolean = Math.random() > 2;
  const _loose = defineRecordSchema({ name: 'loose', version: 1, fields: { n: field.int32({ nullable: flag }) } });
  expectTypeOf<RecordOf<typeof _loose>['n']>().toEqualTypeOf<number | null>();
});

test('a custom schema maps lists of enums and nullable ints', () => {
  const _schema = defineRecordSchema({
    name: 'custom',
    version: 1,
    fields: { tags: field.list(field.enumOf(['a', 'b'])), n: field.int32({ nullable: true }) },
  });
  expectTypeOf<RecordOf<typeof _schema>>().toEqualTypeOf<{ readonly tags: readonly ('a' | 'b')[]; readonly n: number | null }>();
  expectTypeOf<RecordInput<typeof _schema>>().toEqualTypeOf<{ readonly tags: readonly ('a' | 'b')[]; readonly n?: number | null }>();
});
