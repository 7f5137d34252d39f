/**
 * Lays `options` over `defaults`, ignoring keys whose value is `undefined`, so that
 * `{ supportCap: undefined }` means "default" as its optional type says, not "unset".
 */
export function mergeOptions<T extends object>(defaults: Required<T>, options: T): Required<T> {
  const merged: Record<string, unknown> = { ...defaults };
  for (const [key, value] of Object.entries(options)) {
    if (value !== undefined) {
      merged[key] = value;
    }
  }
  return merged as Required<T>;
}
