import type { Dataset } from '@metarec/datasets';
import { EVENT_TYPE_CODE, ratingScaleOf } from '@metarec/datasets';
import type { RatingsTable } from '@metarec/evaluation';

/**
 * The rating events of a {@link Dataset} as the evaluation's columnar table: users and items
 * are the dataset's row indices; an item's release date is 1 January of its `release_year`
 * (NaN when unknown), which is all MovieLens profiles carry — on ML-100K the reference's cut
 * (1997-01-01) is therefore exact. The table carries the data set's rating scale
 * (`ratingScaleOf`: 1–5 when the data set records none), which clipping, `nmae`/`nrmse` and
 * the ranking positive threshold follow.
 */
export function ratingsTableFromDataset(dataset: Dataset): RatingsTable {
  const c = dataset.interactions;
  const keep: number[] = [];
  for (let k = 0; k < c.count; k++) {
    if (c.eventTypes[k] === EVENT_TYPE_CODE.rating && !Number.isNaN(c.values[k])) {
      keep.push(k);
    }
  }
  return {
    userCount: dataset.users.length,
    itemCount: dataset.items.length,
    users: Int32Array.from(keep, (k) => c.userRows[k]),
    items: Int32Array.from(keep, (k) => c.itemRows[k]),
    ratings: Float32Array.from(keep, (k) => c.values[k]),
    itemReleaseMs: Float64Array.from(dataset.items, (i) => (i.release_year === null ? Number.NaN : Date.UTC(i.release_year, 0, 1))),
    ratingScale: ratingScaleOf(dataset),
  };
}
