/**
 * `defaults` with every field of `options` laid over it, except fields that are `undefined`, so
 * `{ flushRows: config.maybe }` means "default" as its optional type says instead of erasing the
 * default (a plain spread would). Every lib's constructor merges its `DEFAULT_*_OPTIONS` this way.
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
