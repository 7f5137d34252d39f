import { join } from 'node:path';

import { exists } from './checksums.js';
import { MONTHS, ML_100K_GENRES, ageBucketOf, regionOf } from './movielens-features.js';
import type { ItemDraft, ParsedMovieLens, UserDraft } from './parsed-movielens.js';
import { indexIds, parseRatings } from './parsed-movielens.js';
import type { TextLines } from './text-file.js';
import { malformedLine, parseIntField, readTextLines, splitFields } from './text-file.js';

/** Files of the ML-100K layout (`u.genre` and `u.occupation` are optional checks). */
export const ML_100K_FILES = { ratings: 'u.data', users: 'u.user', items: 'u.item', genres: 'u.genre', occupations: 'u.occupation' } as const;

const ITEM_FIELDS = 5 + ML_100K_GENRES.length;

/** Parses an ML-100K directory (u.user, u.item, u.data; u.genre and u.occupation when present). */
export async function parseMl100k(dir: string): Promise<ParsedMovieLens> {
  const genres = (await exists(join(dir, ML_100K_FILES.genres))) ? await readGenres(dir) : ML_100K_GENRES;
  const occupations = (await exists(join(dir, ML_100K_FILES.occupations)))
    ? new Set((await readTextLines(dir, ML_100K_FILES.occupations)).lines.map((l) => l.trim()))
    : undefined;
  const userText = await readTextLines(dir, ML_100K_FILES.users);
  const users = userText.lines.map((_, k) => parseUser(userText, k, occupations));
  const itemText = await readTextLines(dir, ML_100K_FILES.items);
  const items = itemText.lines.map((_, k) => parseItem(itemText, k, genres));
  const ratings = parseRatings(
    await readTextLines(dir, ML_100K_FILES.ratings),
    '\t',
    indexIds(userText, users.map((u) => u.user_id), 'user'),
    indexIds(itemText, items.map((i) => i.item_id), 'item'),
  );
  return { users, items, ratings };
}

/** u.genre: `name|flag index`, flag indices 0..18 in order. */
async function readGenres(dir: string): Promise<readonly string[]> {
  const text = await readTextLines(dir, ML_100K_FILES.genres);
  const names: string[] = [];
  text.lines.forEach((_, k) => {
    const [name, index] = splitFields(text, k, '|', 2);
    if (parseIntField(text, k, 'genre index', index) !== k) {
      throw malformedLine(text, k, `genre index ${index} is out of order (expected ${k})`);
    }
    names.push(name);
  });
  if (names.length !== ML_100K_GENRES.length) {
    throw malformedLine(text, names.length - 1, `expected ${ML_100K_GENRES.length} genres, got ${names.length}`);
  }
  return names;
}

/** u.user: `id|age|gender|occupation|zip`. */
function parseUser(text: TextLines, k: number, occupations: ReadonlySet<string> | undefined): UserDraft {
  const [id, age, gender, occupation, zip] = splitFields(text, k, '|', 5);
  parseIntField(text, k, 'user id', id);
  if (occupations !== undefined && !occupations.has(occupation)) {
    throw malformedLine(text, k, `occupation "${occupation}" is not in ${ML_100K_FILES.occupations}`);
  }
  if (gender !== 'M' && gender !== 'F') {
    throw malformedLine(text, k, `gender must be M or F, got "${gender}"`);
  }
  return { user_id: id, age_bucket: ageBucketOf(parseIntField(text, k, 'age', age)), gender, occupation, region: regionOf(zip) };
}

/** u.item: `id|title|release date|video release date|IMDb URL|19 genre flags`. */
function parseItem(text: TextLines, k: number, genres: readonly string[]): ItemDraft {
  const fields = splitFields(text, k, '|', ITEM_FIELDS);
  const [id, title, released] = fields;
  parseIntField(text, k, 'item id', id);
  if (title.trim() === '') {
    throw malformedLine(text, k, 'title is empty');
  }
  const categories: string[] = [];
  for (let g = 0; g < genres.length; g++) {
    const flag = fields[5 + g];
    if (flag !== '0' && flag !== '1') {
      throw malformedLine(text, k, `genre flag ${g} must be 0 or 1, got "${flag}"`);
    }
    if (flag === '1') {
      categories.push(genres[g]);
    }
  }
  return { item_id: id, title: title.trim(), categories, release_year: releaseYear(text, k, released), numeric_attributes: {} };
}

/** "01-Jan-1995" → 1995; empty → null (one ML-100K item has no date). */
function releaseYear(text: TextLines, k: number, date: string): number | null {
  if (date === '') {
    return null;
  }
  const match = /^(\d{1,2})-([A-Z][a-z]{2})-(\d{4})$/.exec(date);
  if (match === null || !(MONTHS as readonly string[]).includes(match[2])) {
    throw malformedLine(text, k, `release date must look like 01-Jan-1995, got "${date}"`);
  }
  return Number(match[3]);
}
