import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Test helpers of `@metarec/datasets`'s own tests. No other project uses them, so they are not an
 * entry of the package.
 */

/**
 * Where ML-100K lives on developer machines and CI: `../shared/datasets/movielens-100k` from
 * the repository root (this file sits four levels below it, in src/testing/). It is never
 * committed; see shared/README.md.
 */
export const MOVIELENS_100K_DIR = fileURLToPath(new URL('../../../../../shared/datasets/movielens-100k', import.meta.url));

/** The ML-100K directory when its ratings file exists, else undefined (tests then skip). */
export function findMovieLens100k(): string | undefined {
  return existsSync(`${MOVIELENS_100K_DIR}/u.data`) ? MOVIELENS_100K_DIR : undefined;
}

/** Message for a skipped test, naming the path that was looked at. */
export const MOVIELENS_100K_SKIP_MESSAGE = `ML-100K not found at ${MOVIELENS_100K_DIR} (u.data); tests on real MovieLens data are skipped. Put the GroupLens files there to run them.`;
