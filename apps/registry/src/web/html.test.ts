import { describe, expect, it } from 'vitest';

import { escapeHtml, html, page } from './html.js';

describe('html', () => {
  it('escapes every interpolated value (model names, reasons and actors come from clients)', () => {
    const reason = `<script>alert("x")</script>' onmouseover='x`;
    expect(html`<td title="${reason}">${reason}</td>`.value).toBe(
      '<td title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39; onmouseover=&#39;x">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39; onmouseover=&#39;x</td>',
    );
  });

  it('passes nested fragments through once and joins arrays', () => {
    const rows = ['a&b', 'c'].map((v) => html`<li>${v}</li>`);
    expect(html`<ul>${rows}</ul>`.value).toBe('<ul><li>a&amp;b</li><li>c</li></ul>');
    expect(html`${null}${undefined}`.value).toBe('');
  });

  it('builds a page whose only script is the same-origin actions script, with no external resources', () => {
    const out = page('t<1>', html`<p>x</p>`);
    expect(out).toContain('<title>t&lt;1&gt;</title>');
    expect(out.match(/<script/g)).toHaveLength(1);
    expect(out).toContain('<script src="/ui/assets/registry.js" defer></script>');
    expect(out).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(escapeHtml(42)).toBe('42');
  });
});
