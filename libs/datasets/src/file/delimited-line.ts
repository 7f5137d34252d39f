/** A line split into fields, or where and why it could not be split. */
export type SplitLine =
  | { readonly ok: true; readonly fields: string[] }
  | { readonly ok: false; readonly fieldIndex: number; readonly reason: string };

const QUOTE = '"';

/**
 * Splits one line on `separator`. With a one-character separator, a field that starts with `"`
 * is quoted as in RFC 4180 (`""` is a literal quote, the separator may appear inside); quoted
 * fields may not span lines. Multi-character separators (`::`) have no quoting, as in MovieLens.
 */
export function splitDelimitedLine(line: string, separator: string): SplitLine {
  if (separator.length !== 1 || !line.includes(QUOTE)) {
    return { ok: true, fields: line.split(separator) };
  }
  const fields: string[] = [];
  let at = 0;
  for (;;) {
    if (line[at] !== QUOTE) {
      const end = line.indexOf(separator, at);
      fields.push(line.slice(at, end < 0 ? line.length : end));
      if (end < 0) {
        return { ok: true, fields };
      }
      at = end + 1;
      continue;
    }
    let value = '';
    let k = at + 1;
    for (;;) {
      const close = line.indexOf(QUOTE, k);
      if (close < 0) {
        return { ok: false, fieldIndex: fields.length, reason: 'quoted field is not closed on this line' };
      }
      value += line.slice(k, close);
      if (line[close + 1] === QUOTE) {
        value += QUOTE;
        k = close + 2;
        continue;
      }
      k = close + 1;
      break;
    }
    fields.push(value);
    if (k === line.length) {
      return { ok: true, fields };
    }
    if (line[k] !== separator) {
      return { ok: false, fieldIndex: fields.length - 1, reason: `unexpected text after a closing quote` };
    }
    at = k + 1;
    if (at === line.length) {
      fields.push('');
      return { ok: true, fields };
    }
  }
}

/** Separators tried, in order, by {@link detectSeparator}. */
export const DETECTED_SEPARATORS = ['::', '\t', ',', ';', '|'] as const;

/** The first of {@link DETECTED_SEPARATORS} that occurs in `line`, or undefined. */
export function detectSeparator(line: string): string | undefined {
  return DETECTED_SEPARATORS.find((s) => line.includes(s));
}
