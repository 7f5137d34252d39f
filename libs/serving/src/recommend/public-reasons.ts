/**
 * A degradation reason as a caller may see it: the dependency and the fallback, without the
 * client's error text in parentheses (`user context unavailable (connect ECONNREFUSED
 * 10.0.3.7:6380): cold path` → `user context unavailable: cold path`), which names hosts, ports and
 * client internals. The full reason is logged (`Recommender.report`); only this goes out.
 */
export function publicReason(reason: string): string {
  const at = reason.indexOf(' unavailable (');
  if (at < 0) {
    return reason;
  }
  const open = at + ' unavailable'.length;
  let depth = 0;
  for (let i = open + 2; i < reason.length; i++) {
    const c = reason[i];
    if (c === '(') {
      depth++;
    } else if (c === ')') {
      if (depth === 0) {
        return reason.slice(0, open) + reason.slice(i + 1);
      }
      depth--;
    }
  }
  return reason.slice(0, open);
}

/** {@link publicReason} of each. */
export function publicReasons(reasons: readonly string[]): string[] {
  return reasons.map(publicReason);
}
