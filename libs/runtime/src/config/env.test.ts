import { describe, expect, it } from 'vitest';

import { env } from './env.js';

describe('env helpers', () => {
  it('int rejects non-integers and out-of-range values', () => {
    const schema = env.int(undefined, { min: 1, max: 10 });
    expect(schema.parse(' 7 ')).toBe(7);
    expect(schema.safeParse('7.5').success).toBe(false);
    expect(schema.safeParse('').success).toBe(false);
    expect(schema.safeParse('11').error?.issues[0]?.message).toBe('expected an integer in [1, 10], got 11');
    expect(env.int(undefined, { min: 2 }).safeParse('1').error?.issues[0]?.message).toBe('expected an integer >= 2, got 1');
  });

  it('boolean accepts the documented words only', () => {
    const schema = env.boolean();
    expect(['true', 'YES', '1', 'on'].map((word) => schema.parse(word))).toEqual([true, true, true, true]);
    expect(['false', 'No', '0', 'off'].map((word) => schema.parse(word))).toEqual([false, false, false, false]);
    expect(schema.safeParse('y').success).toBe(false);
  });

  it('list trims items and rejects an empty list', () => {
    expect(env.list().parse(' a:1 , b:2 ,,')).toEqual(['a:1', 'b:2']);
    expect(env.list().safeParse(' , ').success).toBe(false);
  });

  it('url checks the scheme when asked', () => {
    expect(env.url(undefined, ['postgres:', 'postgresql:']).safeParse('postgres://u@h:5432/db').success).toBe(true);
    expect(env.url(undefined, ['postgres:']).safeParse('redis://h').success).toBe(false);
    expect(env.url().safeParse('not a url').success).toBe(false);
  });
});

describe('env.number', () => {
  it('accepts decimals within bounds and names what it refused', () => {
    const schema = env.number(undefined, { min: 0, max: 1 });
    expect(schema.parse(' 0.25 ')).toBe(0.25);
    expect(schema.parse('1e-3')).toBe(0.001);
    expect(schema.safeParse('abc').error?.issues[0]?.message).toBe('expected a number, got "abc"');
    expect(schema.safeParse('').success).toBe(false);
    expect(schema.safeParse('Infinity').success).toBe(false);
    expect(schema.safeParse('1.5').error?.issues[0]?.message).toBe('expected a number in [0, 1], got 1.5');
    expect(env.number(undefined, { min: 0 }).safeParse('-2').error?.issues[0]?.message).toBe('expected a number >= 0, got -2');
  });
});
