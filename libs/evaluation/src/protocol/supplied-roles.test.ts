import { describe, expect, it } from 'vitest';

import { EvalConfigError } from '../errors.js';
import { syntheticRatingsTable } from '../testing.js';
import { buildColdStartSplit } from './cold-start-split.js';
import type { ColdStartSplit } from './cold-start-split.js';
import { ALL_SCENARIOS, SCENARIOS } from './scenario.js';
import { summarizeSuppliedRoles } from './supplied-roles.js';

const table = syntheticRatingsTable({ users: 150, items: 220, ratingsPerUser: [10, 110], seed: 3 });

/** Users 0..29 new, items 100..159 new: a split no random draw or date cut would produce. */
function handPicked(): { isTestUser: Uint8Array; isNewItem: Uint8Array } {
  return {
    isTestUser: Uint8Array.from({ length: table.userCount }, (_, u) => (u < 30 ? 1 : 0)),
    isNewItem: Uint8Array.from({ length: table.itemCount }, (_, i) => (i >= 100 && i < 160 ? 1 : 0)),
  };
}

function taskKeys(split: ColdStartSplit): string[] {
  return ALL_SCENARIOS.flatMap((s) => split.scenarios[s].map((t) => `${s}:${t.user}:${[...t.queryItems].join(',')}|${[...t.supportItems].join(',')}|${[...t.negatives].join(',')}`));
}

describe('buildColdStartSplit with supplied roles', () => {
  it('uses the supplied users and items exactly, in every scenario and pool', () => {
    const roles = handPicked();
    const split = buildColdStartSplit(table, 7, { roles: { ...roles, source: 'split.csv' } });
    expect(Array.from(split.isTestUser)).toEqual(Array.from(roles.isTestUser));
    expect(Array.from(split.isNewItem)).toEqual(Array.from(roles.isNewItem));
    expect(Array.from(split.itemPools.new)).toEqual(Array.from({ length: 60 }, (_, k) => 100 + k));
    for (const s of ALL_SCENARIOS) {
      expect(split.scenarios[s].length).toBeGreaterThan(0);
      for (const t of split.scenarios[s]) {
        expect(t.user < 30).toBe(SCENARIOS[s].coldUser);
        for (const i of [...t.queryItems, ...t.supportItems, ...t.negatives]) {
          expect(i >= 100 && i < 160).toBe(SCENARIOS[s].coldItem);
        }
      }
    }
    const newUsers = new Set(split.scenarios.new_user.map((t) => t.user));
    expect([...newUsers].every((u) => u < 30)).toBe(true);
    expect(split.newItemCutoffMs).toBeNaN();
    expect(split.roleOrigins).toEqual({ users: { kind: 'supplied', source: 'split.csv' }, items: { kind: 'supplied', source: 'split.csv' } });
  });

  it('draws the side that is not supplied as usual', () => {
    const drawn = buildColdStartSplit(table, 7);
    const usersOnly = buildColdStartSplit(table, 7, { roles: { isTestUser: handPicked().isTestUser } });
    expect(Array.from(usersOnly.isNewItem)).toEqual(Array.from(drawn.isNewItem));
    expect(usersOnly.newItemCutoffMs).toBe(drawn.newItemCutoffMs);
    expect(usersOnly.roleOrigins).toEqual({ users: { kind: 'supplied', source: 'supplied roles' }, items: { kind: 'drawn' } });
    const itemsOnly = buildColdStartSplit(table, 7, { roles: { isNewItem: handPicked().isNewItem } });
    expect(Array.from(itemsOnly.isTestUser)).toEqual(Array.from(drawn.isTestUser));
  });

  it('reproduces a drawn split exactly when given its own roles: the rest of the protocol is unchanged', () => {
    const drawn = buildColdStartSplit(table, 11);
    const again = buildColdStartSplit(table, 11, { roles: { isTestUser: drawn.isTestUser, isNewItem: drawn.isNewItem } });
    expect(taskKeys(again)).toEqual(taskKeys(drawn));
  });

  it('is deterministic in the seed, and another seed cuts query and support differently', () => {
    const roles = handPicked();
    const a = buildColdStartSplit(table, 5, { roles });
    const b = buildColdStartSplit(table, 5, { roles });
    const c = buildColdStartSplit(table, 6, { roles });
    expect(taskKeys(b)).toEqual(taskKeys(a));
    expect(taskKeys(c)).not.toEqual(taskKeys(a));
    expect(c.scenarios.new_user.map((t) => t.user)).toEqual(a.scenarios.new_user.map((t) => t.user));
  });

  it('does not keep a reference to the caller’s flags', () => {
    const roles = handPicked();
    const split = buildColdStartSplit(table, 5, { roles });
    roles.isTestUser.fill(0);
    expect(split.isTestUser.reduce((n, f) => n + f, 0)).toBe(30);
  });

  it.each([
    ['isTestUser', { isTestUser: new Uint8Array(149) }, /roles\.isTestUser has length 149, the table's userCount is 150/],
    ['isNewItem', { isNewItem: new Uint8Array(221) }, /roles\.isNewItem has length 221, the table's itemCount is 220/],
  ])('rejects %s of the wrong length, naming the field', (_, roles, message) => {
    expect(() => buildColdStartSplit(table, 1, { roles })).toThrow(message);
    expect(() => buildColdStartSplit(table, 1, { roles })).toThrow(EvalConfigError);
  });

  it('rejects flags other than 0/1, no new user, no training user and no existing item', () => {
    const two = handPicked().isTestUser;
    two[4] = 2;
    expect(() => buildColdStartSplit(table, 1, { roles: { isTestUser: two } })).toThrow(/roles\.isTestUser\[4\] is 2/);
    expect(() => buildColdStartSplit(table, 1, { roles: { isTestUser: new Uint8Array(150) } })).toThrow(/marks 0 of 150 users as new/);
    expect(() => buildColdStartSplit(table, 1, { roles: { isTestUser: new Uint8Array(150).fill(1) } })).toThrow(/marks 150 of 150 users as new/);
    expect(() => buildColdStartSplit(table, 1, { roles: { isNewItem: new Uint8Array(220).fill(1) } })).toThrow(/roles\.isNewItem marks all 220 items as new/);
  });

  it('allows no new item at all (new-item scenarios then have no tasks)', () => {
    const split = buildColdStartSplit(table, 1, { roles: { isNewItem: new Uint8Array(220) } });
    expect(split.scenarios.new_item).toEqual([]);
    expect(split.scenarios.warm.length).toBeGreaterThan(0);
  });

  it('refuses a release-date cut together with supplied items', () => {
    expect(() => buildColdStartSplit(table, 1, { roles: { isNewItem: handPicked().isNewItem }, newItemFromMs: 0 })).toThrow(/newItemFromMs cannot be given with roles\.isNewItem/);
  });
});

describe('summarizeSuppliedRoles', () => {
  it('records the source and counts, not the flags', () => {
    expect(summarizeSuppliedRoles({ ...handPicked(), source: 'f.tsv' })).toEqual({ source: 'f.tsv', testUsers: 30, newItems: 60 });
    expect(summarizeSuppliedRoles({ isTestUser: handPicked().isTestUser })).toEqual({ source: 'supplied roles', testUsers: 30, newItems: null });
  });
});
