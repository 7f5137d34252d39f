/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch);
}

/** A tagged template that escapes every interpolated value unless it is already `SafeHtml`. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** Builds escaped HTML: `html\`<td>${name}</td>\``. Arrays are joined; `SafeHtml` passes through. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    const parts = Array.isArray(value) ? value : [value];
    out += parts.map((part) => (part instanceof SafeHtml ? part.value : part === null || part === undefined ? '' : escapeHtml(part))).join('');
    out += strings[i + 1] ?? '';
  });
  return new SafeHtml(out);
}

const STYLE = `
body{font-family:system-ui,-apple-system,sans-serif;margin:2rem;color:#1b1f24;max-width:1200px}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}
table{border-collapse:collapse;margin:.5rem 0;font-size:.9rem}
th,td{border:1px solid #d0d7de;padding:.3rem .6rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}.num{text-align:right;font-variant-numeric:tabular-nums}
.alias{display:inline-block;background:#ddf4ff;border:1px solid #54aeff;border-radius:1rem;padding:0 .5rem;margin:0 .2rem;font-size:.8rem}
.archived{color:#8c959f}.override{color:#cf222e;font-weight:600}code{font-size:.85rem}
a{color:#0969da}
nav{display:flex;gap:1rem;align-items:center;border-bottom:1px solid #d0d7de;padding-bottom:.5rem;margin-bottom:1rem;flex-wrap:wrap}
nav form{margin-left:auto}input,select,button{font:inherit;font-size:.85rem}
body:not(.authed) .needs-auth{display:none}body.authed .signed-out{display:none}
form.action{display:inline-flex;gap:.3rem;margin:.15rem 0;flex-wrap:wrap}
#action-status.ok{color:#1a7f37}#action-status.error{color:#cf222e;font-weight:600}
.muted{color:#57606a}.tag{display:inline-block;background:#eef1f4;border-radius:.3rem;padding:0 .4rem;margin:0 .2rem;font-size:.8rem}
.charts{display:flex;flex-wrap:wrap;gap:1rem}figure.chart{margin:0}figcaption{font-size:.8rem}.legend-item{margin-right:.8rem}
.status-running{color:#9a6700}.status-finished{color:#1a7f37}.status-failed,.status-killed{color:#cf222e}
pre{background:#f6f8fa;padding:.5rem;overflow:auto;max-height:24rem;font-size:.8rem}`;

/** Path of the page's one script (same origin: see actions-script.ts). */
export const SCRIPT_PATH = '/ui/assets/registry.js';

/**
 * What every page's CSP allows: its own script and inline SVG/styles, fetches to this origin only,
 * nothing from elsewhere; no framing (clickjacking of the action buttons).
 */
export const PAGE_CSP = "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

const NAV = `<nav><a href="/">models</a><a href="/ui/runs">runs</a><a href="/openapi.json">API</a>
<span id="action-status" role="status"></span>
<form id="signin" class="signed-out"><input name="token" type="password" placeholder="bearer token" aria-label="bearer token" autocomplete="off"><button>sign in</button></form>
<span class="needs-auth"><span id="whoami"></span> <button id="signout" type="button">sign out</button></span></nav>`;

/**
 * A complete page: one same-origin script (the actions), no external resources, so it works
 * offline and under `PAGE_CSP`. Reading needs no script; only the actions do.
 */
export function page(title: string, body: SafeHtml): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style><script src="${SCRIPT_PATH}" defer></script></head><body>${NAV}${body.value}</body></html>`;
}
