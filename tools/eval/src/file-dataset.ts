import type { FileDataset, ImportRatingFilesOptions, NewItemRule, RatingScale, TabularFileOptions, TimestampUnit, UserAttribute } from '@metarec/datasets';
import { DatasetError, USER_ATTRIBUTES, defaultNewItemRule, describeBadRow, itemAppearanceMs, parseRatingScale } from '@metarec/datasets';
import type { RatingsTable } from '@metarec/evaluation';

import { ratingsTableFromDataset } from './dataset-table.js';

/** The `--dataset file` flags of metarec-eval, as commander hands them over. */
export interface FileDatasetFlags {
  readonly ratings?: string;
  readonly users?: string;
  readonly items?: string;
  readonly separator?: string;
  readonly header?: 'auto' | 'present' | 'absent';
  /** `user=<name>,item=<name>,rating=<name>,timestamp=<name>` (any subset). */
  readonly columns?: string;
  readonly columnOrder?: string[];
  readonly timestampUnit?: TimestampUnit;
  readonly ratingScale?: string;
  /** `gender=sex,age_bucket=age,…` */
  readonly userColumns?: string;
  readonly itemCategories?: string[];
  readonly categorySeparator?: string;
  readonly itemNumeric?: string[];
  readonly itemYear?: string;
  readonly itemTitle?: string;
  readonly skipBadRows?: boolean;
  readonly orderSeed?: number;
}

/** Separator names a shell passes easily: `tab`/`\t`, `comma`, `semicolon`, `pipe`, `space`; anything else as given. */
export function parseSeparator(text: string): string {
  const named: Record<string, string> = { tab: '\t', '\\t': '\t', comma: ',', semicolon: ';', pipe: '|', space: ' ' };
  return named[text.toLowerCase()] ?? text;
}

/** `a=b,c=d` → `{ a: 'b', c: 'd' }`, keys limited to `allowed`. */
function parsePairs<K extends string>(flag: string, text: string, allowed: readonly K[]): Partial<Record<K, string>> {
  const out: Partial<Record<K, string>> = {};
  for (const part of text.split(',')) {
    const [key, value, ...rest] = part.split('=').map((s) => s.trim());
    if (!(allowed as readonly string[]).includes(key) || value === undefined || value === '' || rest.length > 0) {
      throw new DatasetError('DS_INVALID_OPTION', `${flag}: expected <key>=<column> pairs with keys ${allowed.join(', ')}, got "${part}"`);
    }
    out[key as K] = value;
  }
  return out;
}

/**
 * Turns the CLI flags into {@link importRatingFiles} options: `--separator` and `--header`
 * apply to every file given; the side files' columns are found by name unless flagged.
 * @throws DatasetError `DS_INVALID_OPTION` for a missing `--ratings`, a malformed flag, or a side-file flag without its file.
 */
export function importOptionsFromFlags(flags: FileDatasetFlags): ImportRatingFilesOptions {
  if (flags.ratings === undefined) {
    throw new DatasetError('DS_INVALID_OPTION', '--dataset file needs --ratings <path>');
  }
  if (flags.users === undefined && flags.userColumns !== undefined) {
    throw new DatasetError('DS_INVALID_OPTION', '--user-columns needs --users <path>');
  }
  const itemFlags = [flags.itemCategories, flags.categorySeparator, flags.itemNumeric, flags.itemYear, flags.itemTitle];
  if (flags.items === undefined && itemFlags.some((f) => f !== undefined)) {
    throw new DatasetError('DS_INVALID_OPTION', '--item-categories, --category-separator, --item-numeric, --item-year and --item-title need --items <path>');
  }
  const shared = (path: string): TabularFileOptions => ({ path, separator: flags.separator === undefined ? undefined : parseSeparator(flags.separator), header: flags.header });
  const columns = flags.columns === undefined ? undefined : parsePairs('--columns', flags.columns, ['user', 'item', 'rating', 'timestamp'] as const);
  const scale: RatingScale | undefined = flags.ratingScale === undefined ? undefined : parseRatingScale(flags.ratingScale);
  return {
    ratings: { ...shared(flags.ratings), columns, columnOrder: flags.columnOrder, timestampUnit: flags.timestampUnit },
    users: flags.users === undefined ? undefined : { ...shared(flags.users), attributeColumns: flags.userColumns === undefined ? undefined : parsePairs<UserAttribute>('--user-columns', flags.userColumns, USER_ATTRIBUTES) },
    items:
      flags.items === undefined
        ? undefined
        : {
            ...shared(flags.items),
            categoryColumns: flags.itemCategories,
            categorySeparator: flags.categorySeparator === undefined ? undefined : parseSeparator(flags.categorySeparator),
            numericColumns: flags.itemNumeric,
            releaseYearColumn: flags.itemYear,
            titleColumn: flags.itemTitle,
          },
    ratingScale: scale,
    badRows: flags.skipBadRows === true ? 'skip' : 'fail',
    orderSeed: flags.orderSeed,
  };
}

/** How many skipped rows the summary prints one by one. */
const BAD_ROWS_SHOWN = 20;

/** One-paragraph account of an import: sizes, scale, where times come from, skipped rows (listed up to {@link BAD_ROWS_SHOWN}). */
export function describeFileDataset(data: FileDataset): string {
  const times = data.timestamps.kind === 'file' ? 'timestamps from the file' : `no timestamps: seeded random order (seed ${data.timestamps.seed})`;
  const lines = [
    `loaded file data: ${data.users.length} users, ${data.items.length} items, ${data.interactions.count} ratings, scale ${data.ratingScale.min}..${data.ratingScale.max} (${data.ratingScaleSource}), ${times}`,
  ];
  if (data.withoutProfile.users > 0 || data.withoutProfile.items > 0) {
    lines.push(`without a side-feature row: ${data.withoutProfile.users} users, ${data.withoutProfile.items} items (features null)`);
  }
  if (data.badRows.length > 0) {
    lines.push(`skipped ${data.badRows.length} bad rows:`, ...data.badRows.slice(0, BAD_ROWS_SHOWN).map((r) => `  ${describeBadRow(r)}`));
    if (data.badRows.length > BAD_ROWS_SHOWN) {
      lines.push(`  … and ${data.badRows.length - BAD_ROWS_SHOWN} more`);
    }
  }
  return lines.join('\n');
}

/**
 * The evaluation table of a file data set: items dated by `rule` (default
 * {@link defaultNewItemRule}) so the split's "new items" are the latest ones under it.
 */
export function ratingsTableFromFileDataset(data: FileDataset, rule: NewItemRule | undefined, seed: number): { table: RatingsTable; rule: NewItemRule } {
  const chosen = rule ?? defaultNewItemRule(data, data.timestamps);
  return { table: { ...ratingsTableFromDataset(data), itemReleaseMs: itemAppearanceMs(data, chosen, seed) }, rule: chosen };
}
