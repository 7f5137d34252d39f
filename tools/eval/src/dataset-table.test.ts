import { describe, expect, it } from 'vitest';

import type { Dataset } from '@metarec/datasets';
import { EVENT_TYPE_CODE } from '@metarec/datasets';

import { ratingsTableFromDataset } from './dataset-table.js';

const profile = { age_bucket: null, gender: null, occupation: null, region: null, updated_at_ms: 0 };
const item = (id: string, year: number | null) => ({ item_id: id, title: id, categories: [], release_year: year, numeric_attributes: {}, updated_at_ms: 0 });

describe('ratingsTableFromDataset', () => {
  it('keeps rating events with a value, dates items at 1 January of their release year and carries the rating scale (1–5 when unrecorded)', () => {
    const dataset: Dataset = {
      users: [{ user_id: 'a', ...profile }, { user_id: 'b', ...profile }],
      items: [item('x', 1997), item('y', null)],
      interactions: {
        count: 3,
        userRows: Int32Array.of(0, 1, 1),
        itemRows: Int32Array.of(0, 1, 0),
        eventTypes: Uint8Array.of(EVENT_TYPE_CODE.rating, EVENT_TYPE_CODE.click, EVENT_TYPE_CODE.rating),
        values: Float32Array.of(4, Number.NaN, 2),
        timestampsMs: new Float64Array(3),
      },
    };
    const t = ratingsTableFromDataset(dataset);
    expect(Array.from(t.users)).toEqual([0, 1]);
    expect(Array.from(t.items)).toEqual([0, 0]);
    expect(Array.from(t.ratings)).toEqual([4, 2]);
    expect(t.itemReleaseMs[0]).toBe(Date.UTC(1997, 0, 1));
    expect(t.itemReleaseMs[1]).toBeNaN();
    expect(t.ratingScale).toEqual({ min: 1, max: 5 });
    expect(ratingsTableFromDataset({ ...dataset, ratingScale: { min: 0, max: 10 } }).ratingScale).toEqual({ min: 0, max: 10 });
  });
});
