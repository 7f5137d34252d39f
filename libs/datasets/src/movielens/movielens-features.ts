/**
 * How MovieLens fields map onto metarec's profile schemas, chosen to match the MeLU PyTorch
 * reference (`shared/reference/melu_ref.py`) so results are comparable.
 */

/** ML-1M's age codes, used as `age_bucket` labels for both formats: "1" = under 18, "18" = 18–24, ..., "56" = 56+. */
export const MOVIELENS_AGE_BUCKETS = ['1', '18', '25', '35', '45', '50', '56'] as const;

/** Lower edges of buckets 2..7, as the reference's `AGE_EDGES`. */
const AGE_EDGES = [18, 25, 35, 45, 50, 56];

/** ML-100K gives exact ages; bucket them as ML-1M does (an age equal to an edge starts the bucket). */
export function ageBucketOf(age: number): string {
  let bucket = 0;
  while (bucket < AGE_EDGES.length && age >= AGE_EDGES[bucket]) {
    bucket++;
  }
  return MOVIELENS_AGE_BUCKETS[bucket];
}

/** `region` label for a ZIP code that starts with a letter (Canadian and other non-US postcodes). */
export const NON_US_REGION = 'non-us';

/**
 * `region` = the ZIP code's first character, `"0"`–`"9"` (the US national area: 0 = north-east
 * ... 9 = west), or {@link NON_US_REGION} when it starts with a letter; null when empty. The
 * reference uses the same 11 values.
 */
export function regionOf(zipCode: string): string | null {
  const first = zipCode.trim().charAt(0);
  if (first === '') {
    return null;
  }
  return first >= '0' && first <= '9' ? first : NON_US_REGION;
}

/** ML-100K's 19 genres in flag order (used when `u.genre` is absent), "unknown" first as in the file. */
export const ML_100K_GENRES = [
  'unknown', 'Action', 'Adventure', 'Animation', "Children's", 'Comedy', 'Crime', 'Documentary', 'Drama', 'Fantasy',
  'Film-Noir', 'Horror', 'Musical', 'Mystery', 'Romance', 'Sci-Fi', 'Thriller', 'War', 'Western',
] as const;

/** ML-1M occupation codes 0–20 (its README), mapped to their names. */
export const ML_1M_OCCUPATIONS = [
  'other', 'academic/educator', 'artist', 'clerical/admin', 'college/grad student', 'customer service',
  'doctor/health care', 'executive/managerial', 'farmer', 'homemaker', 'K-12 student', 'lawyer', 'programmer',
  'retired', 'sales/marketing', 'scientist', 'self-employed', 'technician/engineer', 'tradesman/craftsman',
  'unemployed', 'writer',
] as const;

/** Month abbreviations of ML-100K release dates ("01-Jan-1995"). */
export const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;
