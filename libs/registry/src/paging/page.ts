import { RegistryError } from '../errors.js';

/** Page size when a caller names none. */
export const DEFAULT_PAGE_SIZE = 50;
/** Largest page a caller may ask for: a page of versions carries whole manifests. */
export const MAX_PAGE_SIZE = 500;

/** Which page of a list to read. */
export interface PageRequest {
  /** Items per page, 1..`MAX_PAGE_SIZE`. @defaultValue `DEFAULT_PAGE_SIZE` */
  readonly limit?: number;
  /** `nextPageToken` of the previous page; absent for the first page. Opaque to callers. */
  readonly pageToken?: string;
}

/** One page of a list; `nextPageToken` is null on the last page. */
export interface Page<T> {
  readonly items: T[];
  readonly nextPageToken: string | null;
}

/** @throws RegistryError `REG_INVALID_INPUT` (field `limit`) outside 1..`MAX_PAGE_SIZE`. */
export function pageLimit(request: PageRequest): number {
  const limit = request.limit ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new RegistryError('REG_INVALID_INPUT', `limit must be an integer in 1..${MAX_PAGE_SIZE}, got ${limit}`, { field: 'limit' });
  }
  return limit;
}

/**
 * Cuts a page from rows fetched with `limit + 1` (the extra row only says a next page exists), the
 * token being the cursor of the page's last item.
 */
export function toPage<T>(rows: readonly T[], limit: number, cursorOf: (item: T) => string): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextPageToken: rows.length > limit && last !== undefined ? cursorOf(last) : null };
}

/** Reads a numeric page token. @throws RegistryError `REG_INVALID_INPUT` (field `pageToken`). */
export function numericPageToken(request: PageRequest): number | null {
  if (request.pageToken === undefined) {
    return null;
  }
  if (!/^[0-9]{1,15}$/.test(request.pageToken)) {
    throw new RegistryError('REG_INVALID_INPUT', `invalid pageToken "${request.pageToken}"`, { field: 'pageToken' });
  }
  return Number(request.pageToken);
}
