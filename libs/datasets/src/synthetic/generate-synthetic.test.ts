import { validateInteraction, validateItemProfile, validateUserProfile } from '@metarec/schemas';
import { describe, expect, it } from 'vitest';

import { EVENT_TYPES, EVENT_TYPE_CODE, interactionRecords } from '../dataset/dataset.js';
import { generateSynthetic, trueScore } from './generate-synthetic.js';

const NOW_MS = Date.UTC(2026, 6, 1);

describe('generateSynthetic', () => {
  const options = { seed: 3, users: 300, items: 200, interactionsPerUser: { min: 15, max: 60 } };
  const data = generateSynthetic(options);

  it('gives identical output for the same seed and different output for another', () => {
    const again = generateSynthetic(options);
    expect(again.users).toEqual(data.users);
    expect(again.items).toEqual(data.items);
    for (const column of ['userRows', 'itemRows', 'eventTypes', 'values', 'timestampsMs'] as const) {
      expect(sameBytes(again.interactions[column], data.interactions[column])).toBe(true);
    }
    const other = generateSynthetic({ ...options, seed: 4 });
    expect(other.interactions.itemRows).not.toEqual(data.interactions.itemRows);
    expect(other.users.map((u) => u.occupation)).not.toEqual(data.users.map((u) => u.occupation));
  });

  it('has the requested sizes, counts per user within bounds, and no repeated (user, item)', () => {
    expect(data.users).toHaveLength(300);
    expect(data.items).toHaveLength(200);
    const perUser = new Int32Array(300);
    const pairs = new Set<number>();
    for (let k = 0; k < data.interactions.count; k++) {
      perUser[data.interactions.userRows[k]]++;
      pairs.add(data.interactions.userRows[k] * 200 + data.interactions.itemRows[k]);
    }
    expect(Math.min(...perUser)).toBeGreaterThanOrEqual(15);
    expect(Math.max(...perUser)).toBeLessThanOrEqual(60);
    expect(pairs.size).toBe(data.interactions.count);
    expect(data.isNewUser.reduce((a, b) => a + b, 0)).toBe(60);
    expect(data.isNewItem.reduce((a, b) => a + b, 0)).toBe(20);
  });

  it('produces records every schemas validator accepts, with ratings 1..5 in time order', () => {
    const bad = [
      ...data.users.map((u) => validateUserProfile(u, { nowMs: NOW_MS })),
      ...data.items.map((i) => validateItemProfile(i, { nowMs: NOW_MS })),
      ...interactionRecords(data).map((r) => validateInteraction(r, { nowMs: NOW_MS })),
    ].filter((r) => !r.ok);
    expect(bad).toEqual([]);
    expect(data.interactions.eventTypes.every((t) => t === EVENT_TYPE_CODE.rating)).toBe(true);
    expect(data.interactions.values.every((v) => Number.isInteger(v) && v >= 1 && v <= 5)).toBe(true);
    const t = data.interactions.timestampsMs;
    expect(t.every((x, k) => k === 0 || x >= t[k - 1])).toBe(true);
    expect(Object.entries(EVENT_TYPE_CODE).every(([name, code]) => EVENT_TYPES[code] === name)).toBe(true);
  });

  it('lets new users and items appear only in the late window, and nobody interact before arriving', () => {
    const c = data.interactions;
    const violations: number[] = [];
    for (let k = 0; k < c.count; k++) {
      const t = c.timestampsMs[k];
      const late = data.isNewUser[c.userRows[k]] === 1 || data.isNewItem[c.itemRows[k]] === 1;
      if (t < data.users[c.userRows[k]].updated_at_ms || t < data.items[c.itemRows[k]].updated_at_ms || (late && t < data.coldStartFromMs)) {
        violations.push(k);
      }
    }
    expect(violations).toEqual([]);
    const currentYear = new Date(data.coldStartFromMs).getUTCFullYear();
    expect(data.items.filter((_, i) => data.isNewItem[i] === 1).every((item) => item.release_year === currentYear)).toBe(true);
  });

  it('skews popularity: the top 10% of items take far more than 10% of interactions', () => {
    const big = generateSynthetic({ seed: 1, users: 1000, items: 1000 });
    const perItem = new Int32Array(1000);
    big.interactions.itemRows.forEach((i) => perItem[i]++);
    const sorted = Array.from(perItem).sort((a, b) => b - a);
    const top = sorted.slice(0, 100).reduce((a, b) => a + b, 0);
    expect(top / big.interactions.count).toBeGreaterThan(0.3);
    const uniform = generateSynthetic({ seed: 1, users: 1000, items: 1000, popularityExponent: 0 });
    const perItemUniform = new Int32Array(1000);
    uniform.interactions.itemRows.forEach((i) => perItemUniform[i]++);
    const topUniform = Array.from(perItemUniform).sort((a, b) => b - a).slice(0, 100).reduce((a, b) => a + b, 0);
    expect(topUniform / uniform.interactions.count).toBeLessThan(0.2);
  });

  it('makes profiles explain part of the taste: same-occupation users have closer taste, critic_score tracks item quality', () => {
    const big = generateSynthetic({ seed: 2, users: 1500, items: 400 });
    const { dim, userFactors } = big.truth;
    const cosine = (a: number, b: number): number => {
      let dot = 0;
      let na = 0;
      let nb = 0;
      for (let d = 0; d < dim; d++) {
        dot += userFactors[a * dim + d] * userFactors[b * dim + d];
        na += userFactors[a * dim + d] ** 2;
        nb += userFactors[b * dim + d] ** 2;
      }
      return dot / Math.sqrt(na * nb);
    };
    let same = 0;
    let sameN = 0;
    let diff = 0;
    let diffN = 0;
    for (let a = 0; a < 400; a++) {
      for (let b = a + 1; b < 400; b++) {
        const u = big.users[a];
        const v = big.users[b];
        const twin = u.occupation === v.occupation && u.age_bucket === v.age_bucket && u.gender === v.gender;
        if (twin) {
          same += cosine(a, b);
          sameN++;
        } else if (u.occupation !== v.occupation && u.age_bucket !== v.age_bucket && u.gender !== v.gender) {
          diff += cosine(a, b);
          diffN++;
        }
      }
    }
    expect(same / sameN - diff / diffN).toBeGreaterThan(0.15);
    const critic = big.items.map((i) => i.numeric_attributes?.critic_score ?? NaN);
    expect(correlation(critic, Array.from(big.truth.itemBias))).toBeGreaterThan(0.6);
    // ratings follow the hidden score
    const c = big.interactions;
    const sample = Array.from({ length: 2000 }, (_, k) => k);
    expect(correlation(sample.map((k) => c.values[k]), sample.map((k) => trueScore(big.truth, c.userRows[k], c.itemRows[k])))).toBeGreaterThan(0.6);
  });

  it('emits views, clicks and purchases in implicit mode, each click after its view', () => {
    const implicit = generateSynthetic({ ...options, feedback: 'implicit', order: 'user' });
    const counts = [0, 0, 0, 0];
    implicit.interactions.eventTypes.forEach((t) => counts[t]++);
    expect(counts[EVENT_TYPE_CODE.rating]).toBe(0);
    expect(counts[EVENT_TYPE_CODE.view]).toBeGreaterThan(counts[EVENT_TYPE_CODE.click]);
    expect(counts[EVENT_TYPE_CODE.click]).toBeGreaterThan(counts[EVENT_TYPE_CODE.purchase]);
    expect(counts[EVENT_TYPE_CODE.purchase]).toBeGreaterThan(0);
    const c = implicit.interactions;
    for (let k = 1; k < c.count; k++) {
      if (c.eventTypes[k] === EVENT_TYPE_CODE.click) {
        expect(c.eventTypes[k - 1]).toBe(EVENT_TYPE_CODE.view);
        expect(c.itemRows[k - 1]).toBe(c.itemRows[k]);
        expect(c.timestampsMs[k]).toBeGreaterThan(c.timestampsMs[k - 1]);
      }
    }
    expect(interactionRecords(implicit).filter((r) => !validateInteraction(r, { nowMs: NOW_MS }).ok)).toEqual([]);
  });

  it('rejects invalid options with DS_INVALID_OPTION', () => {
    expect(() => generateSynthetic({ users: 0 })).toThrow(expect.objectContaining({ code: 'DS_INVALID_OPTION' }) as Error);
    expect(() => generateSynthetic({ interactionsPerUser: { min: 5, max: 2 } })).toThrow(/interactionsPerUser/);
  });
});

function sameBytes(a: ArrayBufferView, b: ArrayBufferView): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

function correlation(x: readonly number[], y: readonly number[]): number {
  const mean = (v: readonly number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
  const mx = mean(x);
  const my = mean(y);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  x.forEach((xi, k) => {
    sxy += (xi - mx) * (y[k] - my);
    sxx += (xi - mx) ** 2;
    syy += (y[k] - my) ** 2;
  });
  return sxy / Math.sqrt(sxx * syy);
}
