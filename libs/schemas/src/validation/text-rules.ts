/** Options of {@link textRuleViolation}. */
export interface TextRuleOptions {
  /** Free text (a multi-line reason) may hold tab, line feed and carriage return. @defaultValue false */
  readonly allowLineBreaks?: boolean;
}

/**
 * Why a string breaks the text rules every metarec string obeys, or undefined if it is fine:
 * no control characters (U+0000–U+001F, U+007F–U+009F: they corrupt logs, CSV exports and
 * Redis keys; tab and line breaks only in free text, `allowLineBreaks`) and no lone surrogates
 * (Arrow stores UTF-8, where a lone surrogate becomes U+FFFD and the value would not survive a
 * round trip; PostgreSQL does the same).
 */
export function textRuleViolation(value: string, options: TextRuleOptions = {}): string | undefined {
  const lineBreaks = options.allowLineBreaks === true;
  for (let i = 0; i < value.length; i += 1) {
    const code = value.charCodeAt(i);
    if ((code <= 0x1f || (code >= 0x7f && code <= 0x9f)) && !(lineBreaks && (code === 0x09 || code === 0x0a || code === 0x0d))) {
      return `must not contain control characters (U+${code.toString(16).padStart(4, '0').toUpperCase()} at index ${i})`;
    }
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) {
        return `must be well-formed UTF-16 (lone surrogate at index ${i})`;
      }
      i += 1;
    } else if (code >= 0xdc00 && code <= 0xdfff) {
      return `must be well-formed UTF-16 (lone surrogate at index ${i})`;
    }
  }
  return undefined;
}

/** True when the string starts or ends with whitespace (as `String.prototype.trim` defines it). */
export function hasSurroundingWhitespace(value: string): boolean {
  return value.length > 0 && value.trim().length !== value.length;
}
