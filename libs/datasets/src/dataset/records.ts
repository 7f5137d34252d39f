/**
 * TEMPORARY mirror of the record types of `@metarec/schemas` (`records/*.ts` there), used until
 * its `index.ts` exports them; then this file becomes re-exports. Field names and types are
 * copied from those schemas (snake_case, nullable = `| null`).
 */
export type InteractionEventType = 'view' | 'click' | 'rating' | 'purchase';

export interface UserProfile {
  readonly user_id: string;
  readonly age_bucket: string | null;
  readonly gender: string | null;
  readonly occupation: string | null;
  readonly region: string | null;
  readonly updated_at_ms: number;
}

export interface ItemProfile {
  readonly item_id: string;
  readonly title: string;
  readonly categories: readonly string[];
  readonly release_year: number | null;
  readonly numeric_attributes: Readonly<Record<string, number>>;
  readonly updated_at_ms: number;
}

export interface Interaction {
  readonly user_id: string;
  readonly item_id: string;
  readonly event_type: InteractionEventType;
  readonly value: number | null;
  readonly timestamp_ms: number;
  readonly session_id: string | null;
  readonly device: string | null;
}
