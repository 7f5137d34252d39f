import type { Interaction } from '@metarec/schemas';

/** A deliberately broken event and the field validation must name when rejecting it. */
export interface MalformedEvent {
  /** What is wrong, for the summary. */
  readonly label: string;
  /** The raw Kafka payload. */
  readonly payload: string;
  /** The field the rejection must name (`payload` for bytes that are not JSON). */
  readonly expectedField: string;
}

/**
 * The classic ways producers break events, each built from a valid event so only one thing is
 * wrong: a rating out of range, a missing id, a seconds timestamp (the ms/s unit bug), a typo'd
 * field name, an unknown event type, a numeric string, and bytes that are not JSON.
 */
export function malformedEvents(template: Interaction): MalformedEvent[] {
  const json = (value: unknown): string => JSON.stringify(value);
  const { user_id: _userId, ...withoutUser } = template;
  return [
    { label: 'rating of 7 stars', expectedField: 'value', payload: json({ ...template, event_type: 'rating', value: 7 }) },
    { label: 'user_id missing', expectedField: 'user_id', payload: json(withoutUser) },
    {
      label: 'timestamp in seconds',
      expectedField: 'timestamp_ms',
      payload: json({ ...template, timestamp_ms: Math.floor(template.timestamp_ms / 1000) }),
    },
    { label: "typo 'sessionId'", expectedField: 'sessionId', payload: json({ ...template, sessionId: 's-1' }) },
    { label: "event_type 'like'", expectedField: 'event_type', payload: json({ ...template, event_type: 'like' }) },
    { label: 'value as a string', expectedField: 'value', payload: json({ ...template, value: '4' }) },
    { label: 'not JSON', expectedField: 'payload', payload: '{"user_id": "u-1", ' },
  ];
}
