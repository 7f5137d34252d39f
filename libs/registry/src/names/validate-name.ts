import { PG_INTEGER_MAX } from '../api/text-rules.js';
import { RegistryError } from '../errors.js';

/**
 * Model names: lower-case letters, digits, `.`, `_`, `-`; start with a letter or digit; 1–64
 * characters. They appear in URLs, file names and metric labels, so nothing needs escaping.
 */
const MODEL_NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;
/**
 * Alias names start with a letter, so `model@3` (a version) and `model@production` (an alias)
 * never collide; 1–32 characters.
 */
const ALIAS_NAME = /^[a-z][a-z0-9_-]{0,31}$/;
/** One segment of a bundle file path: no leading dot, so `.` and `..` are impossible. */
const PATH_SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
/** Deepest bundle path accepted; model bundles are flat, reports may sit one or two levels down. */
export const MAX_BUNDLE_PATH_DEPTH = 8;
/** Longest bundle path accepted, in characters (POSIX tar's ustar name field is 100 + 155). */
export const MAX_BUNDLE_PATH_LENGTH = 240;

/**
 * Checks a model name and returns it.
 * @throws RegistryError (`REG_INVALID_NAME`, `field`) when it breaks the rule above.
 */
export function validateModelName(name: string, field = 'model'): string {
  if (!MODEL_NAME.test(name) || name.includes('..')) {
    throw new RegistryError('REG_INVALID_NAME', `invalid model name "${name}": use 1-64 of a-z 0-9 . _ - starting with a letter or digit`, { field });
  }
  return name;
}

/**
 * Checks an alias name (`production`, `staging`, `canary-eu`) and returns it.
 * @throws RegistryError (`REG_INVALID_NAME`, `field`) when it breaks the rule above.
 */
export function validateAliasName(alias: string, field = 'alias'): string {
  if (!ALIAS_NAME.test(alias)) {
    throw new RegistryError('REG_INVALID_NAME', `invalid alias "${alias}": use 1-32 of a-z 0-9 _ - starting with a letter`, { field });
  }
  return alias;
}

/**
 * Checks a relative POSIX path inside a bundle (`weights.bin`, `report/index.html`) and returns it.
 * Refuses absolute paths, backslashes, `.`/`..` segments, empty segments and hidden files, so a
 * path from a client or a manifest can never leave the directory it is joined to.
 * @throws RegistryError (`REG_INVALID_NAME`, `field`).
 */
export function validateBundlePath(path: string, field = 'path'): string {
  const fail = (why: string): never => {
    throw new RegistryError('REG_INVALID_NAME', `invalid bundle path "${path}": ${why}`, { field });
  };
  if (path.length === 0 || path.length > MAX_BUNDLE_PATH_LENGTH) {
    fail(`length must be 1-${MAX_BUNDLE_PATH_LENGTH}`);
  }
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path) || path.includes('\\')) {
    fail('must be relative and use /');
  }
  const segments = path.split('/');
  if (segments.length > MAX_BUNDLE_PATH_DEPTH) {
    fail(`deeper than ${MAX_BUNDLE_PATH_DEPTH} levels`);
  }
  for (const segment of segments) {
    if (!PATH_SEGMENT.test(segment)) {
      fail(`segment "${segment}" must match ${PATH_SEGMENT.source} (no "..", no hidden files, no empty segments)`);
    }
  }
  return path;
}

/** Parses a version number from a string (URL segment, CLI argument). */
export function parseVersionNumber(raw: string | number, field = 'version'): number {
  const value = typeof raw === 'number' ? raw : /^[0-9]{1,9}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < 1 || value > PG_INTEGER_MAX) {
    throw new RegistryError('REG_INVALID_INPUT', `invalid version "${raw}": expected an integer from 1 to ${PG_INTEGER_MAX}`, { field });
  }
  return value;
}

/** A reference to one version: `{ version: 3 }` or `{ alias: 'production' }`. */
export type VersionRef = { readonly kind: 'version'; readonly version: number } | { readonly kind: 'alias'; readonly alias: string };

/**
 * Parses `3` or `production` (the part after `model@`) into a `VersionRef`.
 * @throws RegistryError (`REG_INVALID_INPUT` / `REG_INVALID_NAME`, `field`).
 */
export function parseVersionRef(raw: string, field = 'ref'): VersionRef {
  if (/^[0-9]+$/.test(raw)) {
    return { kind: 'version', version: parseVersionNumber(raw, field) };
  }
  return { kind: 'alias', alias: validateAliasName(raw, field) };
}
