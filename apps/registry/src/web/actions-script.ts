/**
 * The page's only script, served from `/ui/assets/registry.js` (same origin, so the page's CSP can
 * say `script-src 'self'`; nothing comes from a CDN: users' pods have no internet).
 *
 * CSRF safety: the token a user pastes is kept in `sessionStorage` (this tab only) and sent as
 * `Authorization: Bearer` by `fetch` to the same JSON API the CLI uses, so each action is audited
 * under the token's principal exactly as a CLI call is. The registry sets no cookie and accepts
 * no ambient credential, so a foreign page has nothing to forge with; the server also refuses
 * writes whose `Origin` is another site (http/origin-check.ts).
 */
export const ACTIONS_SCRIPT = String.raw`
(() => {
  'use strict';
  const KEY = 'metarec-registry-token';
  const status = document.getElementById('action-status');
  const say = (text, ok) => {
    if (status) { status.textContent = text; status.className = ok ? 'ok' : 'error'; }
  };
  const token = () => sessionStorage.getItem(KEY);
  const call = async (method, url, body) => {
    const response = await fetch(url, {
      method,
      headers: { authorization: 'Bearer ' + token(), 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'omit',
    });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) { throw new Error((data.code ? data.code + ': ' : '') + (data.message || response.statusText)); }
    return data;
  };
  const signedIn = (principal) => {
    document.body.classList.add('authed');
    const who = document.getElementById('whoami');
    if (who) { who.textContent = 'signed in as ' + principal; }
  };
  const check = async () => {
    if (!token()) { return; }
    try { signedIn((await call('GET', '/api/v1/whoami')).principal); }
    catch (e) { sessionStorage.removeItem(KEY); say('sign-in failed: ' + e.message, false); }
  };
  const signin = document.getElementById('signin');
  if (signin) {
    signin.addEventListener('submit', (event) => {
      event.preventDefault();
      sessionStorage.setItem(KEY, signin.elements.token.value.trim());
      signin.elements.token.value = '';
      void check();
    });
  }
  const signout = document.getElementById('signout');
  if (signout) {
    signout.addEventListener('click', () => { sessionStorage.removeItem(KEY); location.reload(); });
  }
  const tags = (text) => Object.fromEntries(text.split(',').map((t) => t.trim()).filter((t) => t !== '').map((t) => { const at = t.indexOf('='); return at < 0 ? [t, ''] : [t.slice(0, at).trim(), t.slice(at + 1).trim()]; }));
  const list = (text) => text.split(',').map((t) => t.trim()).filter((t) => t !== '');
  const requests = {
    promote: (f, d) => ['PUT', d.base + '/aliases/' + encodeURIComponent(f.elements.alias.value.trim()), { version: Number(d.version), reason: f.elements.reason.value, override: f.elements.override ? f.elements.override.checked : false }],
    rollback: (f, d) => ['POST', d.base + '/aliases/' + encodeURIComponent(d.alias) + '/rollback', { reason: f.elements.reason.value }],
    archive: (f, d) => ['POST', d.base + '/versions/' + d.version + '/archive', { reason: f.elements.reason.value }],
    edit: (f, d) => ['PATCH', d.base + '/versions/' + d.version, { description: f.elements.description.value, setTags: tags(f.elements.tags.value), removeTags: list(f.elements.remove.value) }],
  };
  for (const form of document.querySelectorAll('form[data-action]')) {
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const build = requests[form.dataset.action];
      if (!build) { return; }
      const [method, url, body] = build(form, form.dataset);
      const button = form.querySelector('button');
      if (button) { button.disabled = true; }
      try {
        await call(method, url, body);
        say(form.dataset.action + ' done', true);
        location.reload();
      } catch (e) {
        say(form.dataset.action + ' failed: ' + e.message, false);
        if (button) { button.disabled = false; }
      }
    });
  }
  void check();
})();
`;
