import { describe, expect, it } from 'vitest';

import { isRegistryError } from '../errors.js';
import { parseVersionNumber, parseVersionRef, validateAliasName, validateBundlePath, validateModelName } from './validate-name.js';

function codeAndField(fn: () => unknown): [string, string | undefined] {
  try {
    fn();
  } catch (error) {
    if (isRegistryError(error)) {
      return [error.code, error.field];
    }
    throw error;
  }
  throw new Error('expected a RegistryError');
}

describe('validateModelName', () => {
  it('accepts lower-case names with . _ -', () => {
    expect(validateModelName('melu-ml100k_v2.1')).toBe('melu-ml100k_v2.1');
  });
  it.each(['', 'Melu', '-x', 'a/b', 'a..b', 'x'.repeat(65), 'a b', '../etc'])('refuses %j naming the field', (name) => {
    expect(codeAndField(() => validateModelName(name, 'name'))).toEqual(['REG_INVALID_NAME', 'name']);
  });
});

describe('validateAliasName', () => {
  it('accepts production, staging, canary-eu', () => {
    for (const alias of ['production', 'staging', 'canary-eu']) {
      expect(validateAliasName(alias)).toBe(alias);
    }
  });
  it.each(['3', '1abc', 'Prod', '', 'a.b', 'x'.repeat(33)])('refuses %j', (alias) => {
    expect(codeAndField(() => validateAliasName(alias))).toEqual(['REG_INVALID_NAME', 'alias']);
  });
});

describe('validateBundlePath', () => {
  it('accepts flat and nested relative paths', () => {
    expect(validateBundlePath('weights.bin')).toBe('weights.bin');
    expect(validateBundlePath('report/index.html')).toBe('report/index.html');
  });
  it.each(['/etc/passwd', '../x', 'a/../../x', 'a//b', './a', '.hidden', 'a\\b', 'C:/x', '', 'a/'])('refuses %j (no traversal, no absolute paths)', (path) => {
    expect(codeAndField(() => validateBundlePath(path, 'files[0].path'))).toEqual(['REG_INVALID_NAME', 'files[0].path']);
  });
  it('refuses paths deeper than the limit', () => {
    expect(codeAndField(() => validateBundlePath(Array.from({ length: 9 }, () => 'd').join('/')))[0]).toBe('REG_INVALID_NAME');
  });
});

describe('versions and refs', () => {
  it('parses positive integers only', () => {
    expect(parseVersionNumber('12')).toBe(12);
    for (const raw of ['0', '-1', '1.5', 'abc', '', '1e3']) {
      expect(codeAndField(() => parseVersionNumber(raw))).toEqual(['REG_INVALID_INPUT', 'version']);
    }
  });
  it('tells versions from aliases', () => {
    expect(parseVersionRef('7')).toEqual({ kind: 'version', version: 7 });
    expect(parseVersionRef('production')).toEqual({ kind: 'alias', alias: 'production' });
    expect(codeAndField(() => parseVersionRef('Prod!'))).toEqual(['REG_INVALID_NAME', 'ref']);
  });
});
