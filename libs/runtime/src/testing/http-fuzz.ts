// Inputs of the HTTP fuzz tests of every service (registry, serving): one list, so a case that broke one is tried on all.

/** Strings that broke a service once, or are known to break pg, JSON or URL handling. */
export const NASTY_STRINGS = [
  '',
  ' ',
  'a\u0000b',
  '\u0000',
  '\ud800',
  'x\udc00y',
  '\u001f',
  '\u0085',
  '..',
  '../../etc/passwd',
  '%00',
  '%2e%2e%2f',
  '\\',
  'a'.repeat(5000),
  '2147483648',
  '-1',
  '0',
  '1e309',
  '0x10',
  'NaN',
  '9'.repeat(40),
  'production',
  'melu',
  '1',
  '😀',
  "'; drop table registry_models; --",
  '{"a":1}',
];
/** Numbers at and past the edges of pg's int4, JS's safe integers and float64. */
export const NASTY_NUMBERS = [0, -1, 1, 1.5, 2147483647, 2147483648, 4294967296, Number.MAX_SAFE_INTEGER, 1e300, -0, 2 ** 53 + 2];
/** Any JSON value a field may be sent instead of the right one. */
export const NASTY_VALUES: unknown[] = [...NASTY_STRINGS, ...NASTY_NUMBERS, null, true, false, [], {}, [1, 2], { nested: { deeper: '\u0000' } }];

/** Already percent-encoded URL parts that are not valid UTF-8 or not valid escapes. */
export const RAW_URL_PARTS = ['%00', '%ff', '%ED%A0%80', '%', '%zz', '%C0%AE%C0%AE'];

/** Percent-encodes a string; a lone surrogate (which encodeURIComponent refuses) becomes its would-be UTF-8 bytes. */
export function encodeUrlPart(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch (error) {
    if (error instanceof URIError) {
      return '%ED%A0%80';
    }
    throw error;
  }
}

/** A small deterministic PRNG (mulberry32): a failing case can be replayed from its seed. */
export function fuzzRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
