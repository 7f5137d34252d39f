import { findJsonTextViolation } from '../api/text-rules.js';
import { RegistryError } from '../errors.js';
import { formatIssuePath } from '../manifest/bundle-manifest.js';
import { validateTagKey } from './run-names.js';

/** @throws RegistryError `REG_INVALID_NAME` / `REG_INVALID_INPUT` (`field`) on a bad key or an over-long or unstorable value. */
export function validTags(tags: Readonly<Record<string, string>>, field = 'tags'): Record<string, string> {
  for (const [key, value] of Object.entries(tags)) {
    validateTagKey(key, field);
    if (typeof value !== 'string' || value.length > 500) {
      throw new RegistryError('REG_INVALID_INPUT', `tag "${key}": value must be a string of at most 500 characters`, { field });
    }
  }
  return storableJson({ ...tags }, field);
}

/**
 * Checks a value bound for a jsonb column against the text rules (pg refuses U+0000 and lone
 * surrogates in jsonb, as a 5xx-looking error otherwise) and returns it.
 * @throws RegistryError `REG_INVALID_INPUT` naming the offending path under `field`.
 */
export function storableJson<T>(value: T, field: string): T {
  const violation = findJsonTextViolation(value);
  if (violation !== undefined) {
    const inner = formatIssuePath(violation.path);
    throw new RegistryError('REG_INVALID_INPUT', `${field}${inner === '' ? '' : `.${inner}`}: ${violation.message}`, { field: inner === '' ? field : `${field}.${inner}` });
  }
  return value;
}
