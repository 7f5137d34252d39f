import { join } from 'node:path';

import type { Dataset } from '../dataset/dataset.js';
import { EVENT_TYPE_CODE } from '../dataset/dataset.js';
import { STAR_RATING_SCALE } from '../dataset/rating-scale.js';
import { completeProfiles } from '../dataset/profile-drafts.js';
import { DatasetError } from '../errors.js';
import { mergeOptions } from '@metarec/runtime';
import type { ChecksumStatus } from './checksums.js';
import { exists, verifySha256Sums } from './checksums.js';
import { ML_100K_FILES, parseMl100k } from './ml-100k.js';
import { ML_1M_FILES, parseMl1m } from './ml-1m.js';
import type { ParsedMovieLens } from './parsed-movielens.js';

/** MovieLens file layouts the importer reads. */
export type MovieLensFormat = 'ml-100k' | 'ml-1m';

/** Options of {@link importMovieLens}. */
export interface ImportMovieLensOptions {
  /** Layout; `auto` picks ml-100k when `u.data` exists, else ml-1m when `ratings.dat` does. @defaultValue 'auto' */
  readonly format?: MovieLensFormat | 'auto';
  /** Verify `SHA256SUMS` when the directory has one. @defaultValue true */
  readonly verifyChecksums?: boolean;
}

/** Defaults of {@link ImportMovieLensOptions}. */
export const DEFAULT_IMPORT_MOVIELENS_OPTIONS: Required<ImportMovieLensOptions> = { format: 'auto', verifyChecksums: true };

/** A MovieLens directory in metarec's record types. */
export interface MovieLensDataset extends Dataset {
  readonly format: MovieLensFormat;
  /** `absent` when there is no `SHA256SUMS` (or verification was turned off). */
  readonly checksums: ChecksumStatus;
}

/**
 * Imports MovieLens ML-100K or ML-1M files. Mapping (chosen to match the MeLU reference):
 * - ids are the files' decimal ids as strings (`"196"`); users and items are separate id spaces.
 * - `age_bucket`: ML-1M age codes `1,18,25,35,45,50,56`; ML-100K ages are bucketed the same way.
 * - `gender` `M`/`F`; `occupation` by name (ML-1M codes mapped to the names of its README).
 * - `region`: first ZIP character `0`–`9`, or `non-us` for postcodes starting with a letter.
 * - `categories`: genre names (ML-100K keeps its 19 flags, "unknown" included, as the reference).
 * - `release_year`: from the release date (ML-100K) or the title's `(YYYY)` (ML-1M); null if none.
 * - `numeric_attributes`: none (`{}`), as the reference.
 * - `updated_at_ms`: the profile's first rating time (no better "known since" exists);
 *   profiles without ratings get the data set's first rating time.
 * - every rating is an `Interaction` of type `rating`, value = stars, time = seconds × 1000.
 * Files are decoded as latin-1.
 * @throws DatasetError `DS_FORMAT_UNKNOWN`, `DS_FILE_MISSING`, `DS_CHECKSUM_MISMATCH` (naming the file),
 *   `DS_MALFORMED_LINE` (naming file and line).
 */
export async function importMovieLens(dir: string, options: ImportMovieLensOptions = {}): Promise<MovieLensDataset> {
  const merged = mergeOptions(DEFAULT_IMPORT_MOVIELENS_OPTIONS, options);
  const format = merged.format === 'auto' ? await detectFormat(dir) : merged.format;
  const checksums = merged.verifyChecksums ? await verifySha256Sums(dir) : 'absent';
  const parsed = format === 'ml-100k' ? await parseMl100k(dir) : await parseMl1m(dir);
  return { format, checksums, ...toDataset(parsed) };
}

async function detectFormat(dir: string): Promise<MovieLensFormat> {
  if (await exists(join(dir, ML_100K_FILES.ratings))) {
    return 'ml-100k';
  }
  if (await exists(join(dir, ML_1M_FILES.ratings))) {
    return 'ml-1m';
  }
  throw new DatasetError('DS_FORMAT_UNKNOWN', `${dir} has neither ${ML_100K_FILES.ratings} (ML-100K) nor ${ML_1M_FILES.ratings} (ML-1M)`, { file: dir });
}

function toDataset(parsed: ParsedMovieLens): Dataset {
  const { ratings } = parsed;
  const { users, items } = completeProfiles(parsed.users, parsed.items, ratings);
  return {
    users,
    items,
    ratingScale: STAR_RATING_SCALE,
    interactions: {
      count: ratings.count,
      userRows: ratings.userRows,
      itemRows: ratings.itemRows,
      eventTypes: new Uint8Array(ratings.count).fill(EVENT_TYPE_CODE.rating),
      values: ratings.stars,
      timestampsMs: ratings.timestampsMs,
    },
  };
}
