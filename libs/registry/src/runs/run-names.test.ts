import { describe, expect, it } from 'vitest';

import { parseMetricFilter, parseTagFilter, validateMetricKey, validateRunId } from './run-names.js';

describe('run search filters', () => {
  it('parses a metric comparison with each operator, spaces and exponents allowed', () => {
    expect(parseMetricFilter('val_loss<0.9')).toEqual({ key: 'val_loss', op: '<', value: 0.9 });
    expect(parseMetricFilter('eval/held-out-users/melu/ndcg@3 >= 1e-2')).toEqual({ key: 'eval/held-out-users/melu/ndcg@3', op: '>=', value: 0.01 });
    expect(parseMetricFilter('loss=-1')).toEqual({ key: 'loss', op: '=', value: -1 });
  });

  it('refuses a filter without an operator or a number, naming the field', () => {
    expect(() => parseMetricFilter('loss')).toThrowError(expect.objectContaining({ code: 'REG_INVALID_INPUT', field: 'metric' }));
    expect(() => parseMetricFilter('loss<abc')).toThrowError(expect.objectContaining({ code: 'REG_INVALID_INPUT' }));
    expect(() => parseMetricFilter('loss<>1')).toThrowError(expect.objectContaining({ code: 'REG_INVALID_INPUT' }));
  });

  it('splits a tag filter at the first "=" (values may hold "=")', () => {
    expect(parseTagFilter('dataset=ml-100k')).toEqual(['dataset', 'ml-100k']);
    expect(parseTagFilter('note=a=b')).toEqual(['note', 'a=b']);
    expect(() => parseTagFilter('=x')).toThrowError(expect.objectContaining({ code: 'REG_INVALID_INPUT', field: 'tag' }));
  });

  it('accepts the trainer\'s run ids and path-like metric keys, refuses traversal and spaces', () => {
    expect(validateRunId('run-20261207-ab12')).toBe('run-20261207-ab12');
    expect(() => validateRunId('../x')).toThrowError(expect.objectContaining({ code: 'REG_INVALID_NAME' }));
    expect(validateMetricKey('cold_start/mae/melu')).toBe('cold_start/mae/melu');
    expect(() => validateMetricKey('bad key')).toThrowError(expect.objectContaining({ code: 'REG_INVALID_NAME' }));
  });
});
