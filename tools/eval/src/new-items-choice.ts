import { InvalidArgumentError } from 'commander';

import type { NewItemRule } from '@metarec/datasets';

/**
 * Which items a run treats as new, as used: the release-date cut handed to the split
 * (`undefined` = the latest 20 % of items by the data set's dates) and a sentence for the
 * results config and the terminal that says whether it is the data set's default or a flag.
 */
export interface NewItemsChoice {
  readonly fromMs: number | undefined;
  readonly description: string;
}

/** `--new-items-from`'s default per MovieLens file: 1997 on ML-100K (as the PyTorch reference), 2000 on ML-1M. */
export const MOVIELENS_NEW_ITEMS_FROM = { 'ml-100k': 1997, 'ml-1m': 2000 } as const;

/** The help of `--new-items-from`: the default it really uses on each data set. */
export const NEW_ITEMS_FROM_HELP =
  'items from this year on are new. Default per data set: movielens ml-100k 1997 (as the reference), ml-1m 2000; ' +
  'file: no year, the latest 20 % of items by the --new-items rule the importer applies (a year works with release-year and first-rating, not random); ' +
  "synthetic: not accepted, the generator marks its own new items";

/** MovieLens: items released from `fromYear` (default {@link MOVIELENS_NEW_ITEMS_FROM}) on. */
export function movieLensNewItems(format: keyof typeof MOVIELENS_NEW_ITEMS_FROM, fromYear?: number): NewItemsChoice {
  const year = fromYear ?? MOVIELENS_NEW_ITEMS_FROM[format];
  const source = fromYear === undefined ? `${format} default` : '--new-items-from';
  return { fromMs: Date.UTC(year, 0, 1), description: `items released in ${year} or later (${source})` };
}

/**
 * File data: items dated by `rule` (`ruleIsDefault`: the importer chose it), new from `fromYear`
 * on or, without it, the latest 20 % of them.
 * @throws InvalidArgumentError for a year with the `random` rule (its "dates" are a permutation).
 */
export function fileNewItems(rule: NewItemRule, ruleIsDefault: boolean, fromYear?: number): NewItemsChoice {
  const how = `by ${rule}${ruleIsDefault ? ", the importer's default rule for this data" : ' (--new-items)'}`;
  if (fromYear === undefined) {
    return { fromMs: undefined, description: `latest 20 % of items ${how}` };
  }
  if (rule === 'random') {
    throw new InvalidArgumentError('--new-items-from is a year: it does not apply to --new-items random');
  }
  return { fromMs: Date.UTC(fromYear, 0, 1), description: `items ${how} in ${fromYear} or later (--new-items-from)` };
}

/**
 * Synthetic world: the generator's own new items, which appear from `coldStartFromMs` on.
 * @throws InvalidArgumentError when a year is given: it would be silently overridden.
 */
export function syntheticNewItems(coldStartFromMs: number, fromYear?: number): NewItemsChoice {
  if (fromYear !== undefined) {
    throw new InvalidArgumentError('--new-items-from does not apply to --dataset synthetic: the generator marks its own new items');
  }
  return { fromMs: coldStartFromMs, description: `the generator's new items (appearing from ${new Date(coldStartFromMs).toISOString().slice(0, 10)})` };
}

/**
 * Items marked by a split file that lists items: no release-date cut; the description names the file.
 * @throws InvalidArgumentError when `--new-items` or `--new-items-from` is given too: the file
 *   already decides which items are new, so the flag would be silently ignored.
 */
export function splitFileNewItems(path: string, newItemCount: number, flags: { readonly newItems?: NewItemRule; readonly newItemsFrom?: number }): NewItemsChoice {
  const given = [flags.newItems === undefined ? undefined : '--new-items', flags.newItemsFrom === undefined ? undefined : '--new-items-from'].filter((f) => f !== undefined);
  if (given.length > 0) {
    throw new InvalidArgumentError(`${given.join(' and ')} cannot be combined with --split-file ${path}: the file lists items, so it decides which items are new (drop its item rows to use ${given.join(' / ')})`);
  }
  return { fromMs: undefined, description: `the ${newItemCount} items marked new in --split-file ${path} (unlisted items existing)` };
}
