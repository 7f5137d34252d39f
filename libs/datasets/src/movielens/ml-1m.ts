import { MOVIELENS_AGE_BUCKETS, ML_1M_OCCUPATIONS, regionOf } from './movielens-features.js';
import type { ItemDraft, ParsedMovieLens, UserDraft } from './parsed-movielens.js';
import { indexIds, parseRatings } from './parsed-movielens.js';
import type { TextLines } from './text-file.js';
import { malformedLine, parseIntField, readTextLines, splitFields } from './text-file.js';

/** Files of the ML-1M layout, `::`-separated. */
export const ML_1M_FILES = { ratings: 'ratings.dat', users: 'users.dat', items: 'movies.dat' } as const;

const SEPARATOR = '::';

/** Parses an ML-1M directory (users.dat, movies.dat, ratings.dat). */
export async function parseMl1m(dir: string): Promise<ParsedMovieLens> {
  const userText = await readTextLines(dir, ML_1M_FILES.users);
  const users = userText.lines.map((_, k) => parseUser(userText, k));
  const itemText = await readTextLines(dir, ML_1M_FILES.items);
  const items = itemText.lines.map((_, k) => parseItem(itemText, k));
  const ratings = parseRatings(
    await readTextLines(dir, ML_1M_FILES.ratings),
    SEPARATOR,
    indexIds(userText, users.map((u) => u.user_id), 'user'),
    indexIds(itemText, items.map((i) => i.item_id), 'item'),
  );
  return { users, items, ratings };
}

/** users.dat: `UserID::Gender::Age::Occupation::Zip-code`; Age is already an ML-1M age code. */
function parseUser(text: TextLines, k: number): UserDraft {
  const [id, gender, age, occupation, zip] = splitFields(text, k, SEPARATOR, 5);
  parseIntField(text, k, 'user id', id);
  if (gender !== 'M' && gender !== 'F') {
    throw malformedLine(text, k, `gender must be M or F, got "${gender}"`);
  }
  if (!(MOVIELENS_AGE_BUCKETS as readonly string[]).includes(age)) {
    throw malformedLine(text, k, `age must be one of ${MOVIELENS_AGE_BUCKETS.join(',')}, got "${age}"`);
  }
  const occupationName = ML_1M_OCCUPATIONS[parseIntField(text, k, 'occupation', occupation)];
  if (occupationName === undefined) {
    throw malformedLine(text, k, `occupation code must be 0..${ML_1M_OCCUPATIONS.length - 1}, got ${occupation}`);
  }
  return { user_id: id, age_bucket: age, gender, occupation: occupationName, region: regionOf(zip) };
}

/** movies.dat: `MovieID::Title (Year)::Genre|Genre`; the year comes from the title. */
function parseItem(text: TextLines, k: number): ItemDraft {
  const [id, title, genres] = splitFields(text, k, SEPARATOR, 3);
  parseIntField(text, k, 'movie id', id);
  if (title.trim() === '') {
    throw malformedLine(text, k, 'title is empty');
  }
  const year = /\((\d{4})\)\s*$/.exec(title);
  const categories = genres === '' || genres === '(no genres listed)' ? [] : [...new Set(genres.split('|'))];
  return { item_id: id, title: title.trim(), categories, release_year: year === null ? null : Number(year[1]), numeric_attributes: {} };
}
