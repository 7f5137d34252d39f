/** One metric's value from a Prometheus text page (first sample of that name). */
export function metricValue(text: string, name: string): number {
  const match = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+-]+)`, 'm').exec(text);
  return match === null ? Number.NaN : Number(match[1]);
}
