/**
 * Edge rules for what PostgreSQL can store faithfully, so bad input is a 400 naming its field
 * instead of a pg error (a 500) or a silent change.
 */

/** Largest value of a PostgreSQL `integer` column (version numbers). */
export const PG_INTEGER_MAX = 2_147_483_647;

/** Line breaks and tabs are fine in free text (a multi-line reason); other control characters are not. */
const ALLOWED_CONTROLS = new Set([0x09, 0x0a, 0x0d]);

/**
 * Why `value` breaks the text rules, or `undefined`. The rules of `@metarec/schemas`
 * (`textRuleViolation`), minus tab and line breaks for free text: no control characters
 * (U+0000 is refused by pg `text` and `jsonb`) and no lone surrogates (pg would store U+FFFD,
 * so the value would not round-trip). Kept here because schemas does not export its rule.
 */
export function textViolation(value: string): string | undefined {
  for (let i = 0; i < value.length; i += 1) {
    const code = value.charCodeAt(i);
    if ((code <= 0x1f || (code >= 0x7f && code <= 0x9f)) && !ALLOWED_CONTROLS.has(code)) {
      return `must not contain control characters (U+${code.toString(16).padStart(4, '0').toUpperCase()} at index ${i})`;
    }
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) {
        return `must be well-formed UTF-16 (lone surrogate at index ${i})`;
      }
      i += 1;
    } else if (code >= 0xdc00 && code <= 0xdfff) {
      return `must be well-formed UTF-16 (lone surrogate at index ${i})`;
    }
  }
  return undefined;
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
