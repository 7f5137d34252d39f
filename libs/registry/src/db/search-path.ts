/**
 * Adds `options=-c search_path=<schema>` to a postgres URL, so every pooled connection works in
 * that schema (one registry per schema; tests use a fresh one per file).
 * @throws Error when `schema` is not a plain identifier (it is spliced into a connection option).
 */
export function withSearchPath(databaseUrl: string, schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new Error(`invalid schema name "${schema}"`);
  }
  const url = new URL(databaseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.toString();
}
