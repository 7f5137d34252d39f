// Every relative link in the repo's Markdown must resolve to a file or folder inside the repo: the
// README once pointed to design notes that were not in it. External links (http, mailto) and
// in-page anchors are not checked; links inside code blocks and code spans are not links.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** Folders that hold no Markdown of ours (dependencies, build output, local data). */
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'out-tsc', '.git', '.data', '.nx', '.cache', 'coverage']);
/** Inline `[text](target "title")` and reference `[label]: target` links. */
const INLINE_LINK = /!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g;
const REFERENCE_LINK = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$/gm;
const EXTERNAL = /^(?:[a-z][a-z0-9+.-]*:|#)/i;

/** A link whose target is missing or outside the repo. */
interface BrokenLink {
  readonly file: string;
  readonly target: string;
}

function markdownFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) {
        found.push(...markdownFiles(join(dir, entry.name)));
      }
    } else if (entry.name.endsWith('.md')) {
      found.push(join(dir, entry.name));
    }
  }
  return found;
}

/** The text with fenced code blocks and code spans blanked, so the links in them are skipped. */
function withoutCode(markdown: string): string {
  return markdown.replace(/^(`{3,}|~{3,})[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/`+[^`\n]*`+/g, '');
}

/** Relative link targets of one Markdown text, anchors and query strings removed. */
function relativeTargets(markdown: string): string[] {
  const text = withoutCode(markdown);
  const targets = [...text.matchAll(INLINE_LINK), ...text.matchAll(REFERENCE_LINK)].map((m) => m[1]);
  return targets.filter((t) => !EXTERNAL.test(t)).map((t) => decodeURI(t.replace(/[#?].*$/, '')));
}

/** Links of `markdown` (a file at `file`) that do not resolve to an existing path inside `root`. */
function brokenLinks(root: string, file: string, markdown: string): BrokenLink[] {
  const rel = relative(root, file);
  return relativeTargets(markdown)
    .filter((target) => {
      const path = target.startsWith('/') ? join(root, target) : resolve(dirname(file), target);
      const inside = path === root.replace(/[/\\]$/, '') || path.startsWith(root.endsWith(sep) ? root : root + sep);
      return !inside || !existsSync(path);
    })
    .map((target) => ({ file: rel, target }));
}

describe('Markdown links', () => {
  it('reports a missing target, a target outside the repo, and skips code and external links', () => {
    const file = join(REPO_ROOT, 'README.md');
    const text = [
      '[ok](tools/workspace/package.json) [anchor](docs/architecture.md#floors) [web](https://example.com) [page](#layout)',
      '[gone](docs/no-such-file.md) [outside](../shared/ARCHITECTURE.md)',
      '`[span](no-such-span.md)`',
      '```',
      '[fenced](no-such-fence.md)',
      '```',
      '[ref]: libs/no-such-lib/README.md',
    ].join('\n');
    expect(brokenLinks(REPO_ROOT, file, text).map((b) => b.target)).toEqual(['docs/no-such-file.md', '../shared/ARCHITECTURE.md', 'libs/no-such-lib/README.md']);
  });

  it('every relative link in every Markdown file of the repo resolves to a file in the repo', () => {
    const files = markdownFiles(REPO_ROOT);
    expect(files.length).toBeGreaterThan(10);
    const broken = files.flatMap((file) => brokenLinks(REPO_ROOT, file, readFileSync(file, 'utf8')));
    expect(broken).toEqual([]);
  });
});
