import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { loadWorld } from './load-world.js';
import { findRatingsFile } from './world-source.js';

let dir: string;
const window = { endMs: Date.UTC(2026, 0, 1), windowMs: 3_600_000 };

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'metarec-load-world-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('loadWorld', () => {
  it('refuses ratings outside the event schema (1..5) before anything is produced', async () => {
    await writeFile(path.join(dir, 'tens.csv'), 'user,item,rating\na,x,10\nb,y,1\n');
    await expect(loadWorld({ kind: 'file', ratings: path.join(dir, 'tens.csv') }, window)).rejects.toThrow("file tens.csv: ratings 1..10 are outside the event schema's 1..5");
  });

  it('keeps every user of real data as an existing user and counts no late arrivals', async () => {
    await writeFile(path.join(dir, 'ratings.tsv'), 'a\tx\t4\t100\nb\ty\t2\t50\n');
    const world = await loadWorld({ kind: 'file', ratings: await findRatingsFile(dir, undefined) }, window);
    expect(world).toMatchObject({ name: 'file ratings.tsv', source: 'file', newUsers: 0, newItems: 0, span: { firstMs: 50_000, lastMs: 100_000 } });
    expect([...world.warmUserIds].sort()).toEqual(['a', 'b']);
  });

  it('generates the synthetic world with its late users left out of the existing ones', async () => {
    const world = await loadWorld({ kind: 'synthetic', users: 50, items: 30, seed: 3 }, window);
    expect(world.newUsers).toBeGreaterThan(0);
    expect(world.warmUserIds.length).toBe(50 - world.newUsers);
  });
});
