import { textRuleViolation } from '@metarec/schemas';

/**
 * Edge rules for what PostgreSQL can store faithfully, so bad input is a 400 naming its field
 * instead of a pg error (a 500) or a silent change.
 */

/** Largest value of a PostgreSQL `integer` column (version numbers). */
export const PG_INTEGER_MAX = 2_147_483_647;

/**
 * Why `value` breaks the text rules, or `undefined`: `@metarec/schemas`' rule for free text (tab
 * and line breaks allowed): no other control characters (U+0000 is refused by pg `text` and
 * `jsonb`) and no lone surrogates (pg would store U+FFFD, so the value would not round-trip).
 */
export function textViolation(value: string): string | undefined {
  return textRuleViolation(value, { allowLineBreaks: true });
}

/** Where in a JSON value a string (or an object key) breaks the text rules. */
export interface JsonTextViolation {
  /** Path to the offending value, or to the object holding an offending key. */
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/** Walks a JSON value (keys and strings) for the first text-rule violation (jsonb stores every key). */
export function findJsonTextViolation(value: unknown, path: readonly (string | number)[] = []): JsonTextViolation | undefined {
  if (typeof value === 'string') {
    const message = textViolation(value);
    return message === undefined ? undefined : { path, message };
  }
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findJsonTextViolation(item, [...path, index]);
      if (found !== undefined) {
        return found;
      }
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const keyMessage = textViolation(key);
      if (keyMessage !== undefined) {
        return { path, message: `key ${keyMessage}` };
      }
      const found = findJsonTextViolation(item, [...path, key]);
      if (found !== undefined) {
        return found;
      }
    }
  }
  return undefined;
}
