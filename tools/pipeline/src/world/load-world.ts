import { generateSynthetic, importMovieLens, importRatingFiles, interactionRecords, type Dataset } from '@metarec/datasets';
import { RATING_MAX, RATING_MIN, type Interaction } from '@metarec/schemas';

import { replayTimes } from './replay-times.js';
import type { WorldSource } from './world-source.js';

/** The data of one pipeline run, in replay order. */
export interface World {
  /** What the data is, for the summary and the report (`synthetic`, `movielens ml-100k`, `file ratings.csv`). */
  readonly name: string;
  readonly source: WorldSource['kind'];
  readonly dataset: Dataset;
  /** Every interaction, sorted by event time, times mapped into the replay window (`replayTimes`). */
  readonly events: readonly Interaction[];
  /** The data's own time span, epoch ms (before the mapping). */
  readonly span: { readonly firstMs: number; readonly lastMs: number };
  /** Ids of the users present from the start (the synthetic world's late arrivals left out). */
  readonly warmUserIds: readonly string[];
  /** Users arriving late and items released late (synthetic only; real data: 0, its own times decide). */
  readonly newUsers: number;
  readonly newItems: number;
}

/** Options of {@link loadWorld}. */
export interface LoadWorldOptions {
  /** The replay window ends here, epoch ms. */
  readonly endMs: number;
  /** Width of the replay window, ms. */
  readonly windowMs: number;
}

/** Synthetic: explicit ratings, 20 % late users, 10 % late items (cold start inside the data). */
function synthetic(source: Extract<WorldSource, { kind: 'synthetic' }>): { name: string; dataset: Dataset; late: Uint8Array | null; newItems: number } {
  const dataset = generateSynthetic({ seed: source.seed, users: source.users, items: source.items, interactionsPerUser: { min: 20, max: 60 }, newUserFraction: 0.2, newItemFraction: 0.1 });
  return { name: 'synthetic', dataset, late: dataset.isNewUser, newItems: dataset.isNewItem.reduce((n, v) => n + v, 0) };
}

/**
 * Ingest accepts ratings in the wire schema's range only (`RATING_MIN`..`RATING_MAX`); a data set
 * on another scale would go to the dead-letter topic row by row, so it is refused before producing.
 */
function assertWireScale(name: string, dataset: Dataset): void {
  const scale = dataset.ratingScale;
  if (scale !== undefined && (scale.min < RATING_MIN || scale.max > RATING_MAX)) {
    throw new Error(`${name}: ratings ${scale.min}..${scale.max} are outside the event schema's ${RATING_MIN}..${RATING_MAX}; rescale the file first`);
  }
}

/**
 * Loads the run's data: the synthetic world, a MovieLens directory or a ratings file (the
 * importers of libs/datasets), then puts the interactions in replay order.
 * @throws DatasetError from the importers (missing file, malformed line, checksum mismatch); Error
 *   for ratings outside the wire schema's scale.
 */
export async function loadWorld(source: WorldSource, options: LoadWorldOptions): Promise<World> {
  const loaded =
    source.kind === 'synthetic'
      ? synthetic(source)
      : source.kind === 'movielens'
        ? await importMovieLens(source.dir).then((d) => ({ name: `movielens ${d.format}`, dataset: d as Dataset, late: null, newItems: 0 }))
        : await importRatingFiles({ ratings: { path: source.ratings, ...(source.timestampUnit === undefined ? {} : { timestampUnit: source.timestampUnit }) } }).then((d) => ({
            name: `file ${source.ratings.split('/').at(-1) ?? source.ratings}`,
            dataset: d as Dataset,
            late: null,
            newItems: 0,
          }));
  assertWireScale(loaded.name, loaded.dataset);
  const { events, span } = replayTimes(interactionRecords(loaded.dataset), options);
  const late = loaded.late;
  const active = new Set(events.map((e) => e.user_id));
  const warmUserIds = loaded.dataset.users.filter((u, row) => (late === null || late[row] === 0) && active.has(u.user_id)).map((u) => u.user_id);
  return {
    name: loaded.name,
    source: source.kind,
    dataset: loaded.dataset,
    events,
    span,
    warmUserIds,
    newUsers: late === null ? 0 : late.reduce((n, v) => n + v, 0),
    newItems: loaded.newItems,
  };
}
