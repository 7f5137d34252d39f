import { describe, expect, it } from 'vitest';

import { ScoreSums } from './score-sums.js';

function contents(sums: ScoreSums): [string, number][] {
  return Array.from({ length: sums.count }, (_, slot): [string, number] => [sums.id(slot), sums.sum(slot)]);
}

describe('ScoreSums', () => {
  it('sums per id in first-seen order, and a new pass ignores slots an id held in an earlier one', () => {
    const sums = new ScoreSums(100);
    sums.begin();
    sums.add('a', 1);
    sums.add('b', 2);
    sums.add('a', 0.5);
    expect(contents(sums)).toEqual([['a', 1.5], ['b', 2]]);
    sums.begin();
    expect(sums.count).toBe(0);
    sums.add('b', 1);
    sums.add('c', 3);
    sums.add('a', 0.25);
    sums.add('b', 1);
    expect(contents(sums)).toEqual([['b', 2], ['c', 3], ['a', 0.25]]);
  });

  it('adds in the order given, as (sum ?? 0) + score would', () => {
    const sums = new ScoreSums(100);
    sums.begin();
    for (const score of [0.1, 0.2, 0.3]) {
      sums.add('x', score);
    }
    expect(sums.sum(0)).toBe(0 + 0.1 + 0.2 + 0.3);
    expect(sums.sum(0)).not.toBe(0.3 + 0.2 + 0.1);
  });

  it('grows past its initial slots and starts a fresh map once a flood of distinct ids passes the bound', () => {
    const sums = new ScoreSums(1_000);
    sums.begin();
    for (let i = 0; i < 600; i++) {
      sums.add(`i${i}`, i);
      sums.add(`i${i}`, 1);
    }
    expect(sums.count).toBe(600);
    expect(sums.id(599)).toBe('i599');
    expect(sums.sum(599)).toBe(600);
    let most = 0;
    for (let pass = 0; pass < 20; pass++) {
      sums.begin();
      expect(sums.remembered).toBeLessThanOrEqual(1_000);
      for (let i = 0; i < 300; i++) {
        sums.add(`p${pass}-${i}`, 1);
      }
      most = Math.max(most, sums.remembered);
    }
    expect(most).toBeGreaterThan(1_000);
    expect(most).toBeLessThanOrEqual(1_000 + 300);
  });
});
