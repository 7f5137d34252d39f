import { access } from 'node:fs/promises';
import path from 'node:path';

/** Where the pipeline's users, items and ratings come from. */
export type WorldSource =
  | { readonly kind: 'synthetic'; readonly users: number; readonly items: number; readonly seed: number }
  /** A MovieLens directory (ML-100K `u.data`… or ML-1M `ratings.dat`…; libs/datasets `importMovieLens`). */
  | { readonly kind: 'movielens'; readonly dir: string }
  /**
   * A generic explicit-feedback ratings file (libs/datasets `importRatingFiles`: CSV/TSV/`::`/Arrow,
   * columns found by name or by count, timestamps optional).
   */
  | { readonly kind: 'file'; readonly ratings: string; readonly timestampUnit?: 's' | 'ms' };

/** Ratings file names `--dataset file --data-dir <dir>` looks for, in this order. */
export const RATINGS_FILE_NAMES = ['ratings.csv', 'ratings.tsv', 'ratings.txt', 'ratings.arrow'] as const;

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return false;
    }
    throw error;
  }
}

/**
 * The ratings file of `--dataset file`: `ratings` when given, else the first of
 * {@link RATINGS_FILE_NAMES} in `dataDir`.
 * @throws Error naming the directory and the names tried when there is none.
 */
export async function findRatingsFile(dataDir: string | undefined, ratings: string | undefined): Promise<string> {
  if (ratings !== undefined) {
    return path.resolve(ratings);
  }
  if (dataDir === undefined) {
    throw new Error('--dataset file needs --data-dir <dir> (holding one of ' + RATINGS_FILE_NAMES.join(', ') + ') or --ratings <file>');
  }
  for (const name of RATINGS_FILE_NAMES) {
    const candidate = path.resolve(dataDir, name);
    if (await exists(candidate)) {
      return candidate;
    }
  }
  throw new Error(`${dataDir} has none of ${RATINGS_FILE_NAMES.join(', ')}; name the file with --ratings <file>`);
}
