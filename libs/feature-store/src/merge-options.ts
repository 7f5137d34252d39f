/**
 * `defaults` with every field of `options` laid over it, except fields that are `undefined`:
 * `{ flushRows: config.maybe }` must not erase the default (a plain spread would).
 */
export function mergeOptions<D extends object, O extends object>(defaults: D, options: O): D & O {
  const merged: Record<string, unknown> = { ...(defaults as Record<string, unknown>) };
  for (const [key, value] of Object.entries(options)) {
    if (value !== undefined) {
      merged[key] = value;
    }
  }
  return merged as D & O;
}
