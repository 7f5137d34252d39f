import { html, type SafeHtml } from './html.js';

/** A metric value as the tables show it (4 decimals; – for none). */
export function fmt(value: number | null | undefined): string {
  return typeof value === 'number' ? value.toFixed(4) : '–';
}

/** Tags as small labels. */
export function tagList(tags: Readonly<Record<string, string>>): SafeHtml {
  return html`${Object.entries(tags).map(([k, v]) => html`<span class="tag" data-testid="tag-${k}">${k}${v === '' ? '' : `=${v}`}</span>`)}`;
}

/** `?a=1&b=2` of the defined, non-empty entries (arrays repeat the key). */
export function queryString(entries: Readonly<Record<string, string | readonly string[] | undefined>>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(entries)) {
    for (const v of typeof value === 'string' ? [value] : (value ?? [])) {
      if (v !== '') {
        params.append(key, v);
      }
    }
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

/** A "next page" link, or nothing on the last page. */
export function nextPageLink(path: string, token: string | null, keep: Readonly<Record<string, string | readonly string[] | undefined>> = {}): SafeHtml {
  return token === null ? html`` : html`<p><a data-testid="next-page" href="${path}${queryString({ ...keep, pageToken: token })}">next page →</a></p>`;
}
