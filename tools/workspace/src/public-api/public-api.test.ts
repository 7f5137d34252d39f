import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, describe, expect, it } from 'vitest';

import { countNames, formatUnused, listLibs, measurePublicSurfaces, SNAPSHOT_DIR, snapshotPath, snapshotText, UPDATE_COMMAND } from './public-api.js';
import { scanEntryImports } from './scan-imports.js';

const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

describe('public API snapshots', () => {
  it('match every lib entry as it is now (growth shows up in review)', () => {
    const surfaces = measurePublicSurfaces(REPO_ROOT);
    const committed = existsSync(join(REPO_ROOT, SNAPSHOT_DIR)) ? readdirSync(join(REPO_ROOT, SNAPSHOT_DIR)).sort() : [];
    expect(committed, `snapshots out of date: run ${UPDATE_COMMAND}`).toEqual(surfaces.map((s) => `${s.lib}.txt`).sort());
    for (const surface of surfaces) {
      const text = readFileSync(join(REPO_ROOT, snapshotPath(surface.lib)), 'utf8');
      expect(text, `${snapshotPath(surface.lib)} is out of date: run ${UPDATE_COMMAND}`).toBe(snapshotText(surface));
    }
  }, 120_000);
});

/** A two-lib workspace on disk, written from `files` (path relative to the root → text). */
function writeWorkspace(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'public-api-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const FIXTURE = {
  'tsconfig.base.json': JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true } }),
  'libs/alpha/package.json': '{"name":"@metarec/alpha"}',
  'libs/alpha/src/shapes.ts': 'export const square = 1;\nexport function circle(): number { return 2; }\nexport interface Shape { n: number }\nexport class Painter {}\nexport type Colour = string;\n',
  'libs/alpha/src/more.ts': 'export const starred = 3;\nexport type StarredType = number;\n',
  'libs/alpha/src/index.ts': [
    "export { square, circle as round } from './shapes.js';",
    "export type { Shape, Painter } from './shapes.js';",
    "export { type Colour } from './shapes.js';",
    "export * from './more.js';",
    'export const local = 4;',
    'export type LocalType = string;',
  ].join('\n'),
  'libs/alpha/src/testing.ts': 'export function buildShape(): { n: number } { return { n: 1 }; }\nexport const UNUSED_FIXTURE = 0;\n',
  // The lib's own test does not make a name used outside.
  'libs/alpha/src/index.test.ts': "import { local } from '@metarec/alpha';\nvoid local;\n",
  'libs/beta/package.json': '{"name":"@metarec/beta"}',
  'libs/beta/src/index.ts': "import { square, type Shape } from '@metarec/alpha';\nexport const beta: Shape = { n: square };\n",
  'apps/gamma/src/main.ts': "export { round } from '@metarec/alpha';\ntype P = import('@metarec/alpha').Painter;\nexport const p: P | undefined = undefined;\n",
  'tools/delta/src/x.test.ts': "import { buildShape } from '@metarec/alpha/testing';\nimport { starred } from '@metarec/alpha';\nvoid buildShape; void starred;\n",
};

describe('measurePublicSurfaces', () => {
  const root = writeWorkspace(FIXTURE);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('reads named, renamed, type-only and star re-exports with their kind', () => {
    const [alpha] = measurePublicSurfaces(root);
    expect(alpha?.entries[0]?.names.map((n) => `${n.kind} ${n.name}`)).toEqual([
      'type Colour',
      'type LocalType',
      // A class exported through `export type` is only a type to its importers.
      'type Painter',
      'type Shape',
      'type StarredType',
      'value local',
      'value round',
      'value square',
      'value starred',
    ]);
  });

  it('marks a name used only when a file outside its lib imports it, per entry', () => {
    const [alpha, beta] = measurePublicSurfaces(root);
    const used = (index: number): string[] => (alpha?.entries[index]?.names ?? []).filter((n) => n.usedOutside).map((n) => n.name);
    expect(used(0)).toEqual(['Painter', 'Shape', 'round', 'square', 'starred']);
    expect(used(1)).toEqual(['buildShape']);
    expect(countNames(alpha?.entries ?? [])).toEqual({ exported: 11, usedOutside: 6, unusedOutside: 5 });
    expect(beta?.entries.map((e) => e.specifier)).toEqual(['@metarec/beta']);
    expect(formatUnused(alpha === undefined ? [] : [alpha])).toContain('@metarec/alpha/testing (1 unused outside)\n  value UNUSED_FIXTURE');
  });

  it('writes a snapshot of names and kinds only', () => {
    const [alpha] = measurePublicSurfaces(root);
    const text = alpha === undefined ? '' : snapshotText(alpha);
    expect(text).toContain('## @metarec/alpha (9)\ntype  Colour\n');
    expect(text).toContain('## @metarec/alpha/testing (2)\nvalue UNUSED_FIXTURE\nvalue buildShape\n');
    expect(listLibs(root)).toEqual(['alpha', 'beta']);
  });
});

describe('scanEntryImports', () => {
  it('finds imported names, not local aliases, and ignores other specifiers', () => {
    const text = [
      "import { a, b as c } from '@metarec/x';",
      "import type { T } from '@metarec/x/testing';",
      "import { deep } from '@metarec/x/src/deep.js';",
      "import { local } from './local.js';",
      "import '@metarec/side-effect';",
      "export { d as e } from '@metarec/y';",
      "type Q = import('@metarec/z').Name.Inner;",
    ].join('\n');
    expect(scanEntryImports('f.ts', text).map((i) => `${i.specifier}:${i.name}`)).toEqual([
      '@metarec/x:a',
      '@metarec/x:b',
      '@metarec/x/testing:T',
      '@metarec/y:d',
      '@metarec/z:Name',
    ]);
  });

  it('refuses forms whose used names it cannot read', () => {
    expect(() => scanEntryImports('f.ts', "import * as x from '@metarec/x';")).toThrow(/namespace import of @metarec\/x/);
    expect(() => scanEntryImports('f.ts', "export * from '@metarec/x';")).toThrow(/star re-export/);
    expect(() => scanEntryImports('f.ts', "const m = await import('@metarec/x');")).toThrow(/dynamic import/);
    expect(() => scanEntryImports('f.ts', "const { ...rest } = await import('@metarec/x');")).toThrow(/dynamic import/);
    expect(() => scanEntryImports('f.ts', "void import('@metarec/x');")).toThrow(/dynamic import/);
  });

  it('reads the names a destructured dynamic import takes', () => {
    const text = "async function f() { const { a, b: c } = await import('@metarec/x'); return [a, c]; }";
    expect(scanEntryImports('f.ts', text).map((i) => `${i.specifier}:${i.name}`)).toEqual(['@metarec/x:a', '@metarec/x:b']);
  });
});
