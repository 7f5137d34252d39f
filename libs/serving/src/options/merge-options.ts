/**
 * Lays `options` over `defaults`, skipping fields that are `undefined` (an env-driven caller
 * passing `{ ttlMs: undefined }` keeps the default instead of erasing it).
 */
export function mergeOptions<D extends object, O extends object>(defaults: D, options: O): D & O {
  const out = { ...defaults } as Record<string, unknown>;
  for (const [key, value] of Object.entries(options)) {
    if (value !== undefined) {
      out[key] = value;
    }
  }
  return out as D & O;
}
