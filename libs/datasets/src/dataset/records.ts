// The record types of `@metarec/schemas`, in one place for this lib's modules.
export type { Interaction, InteractionEventType, ItemProfile, UserProfile } from '@metarec/schemas';
