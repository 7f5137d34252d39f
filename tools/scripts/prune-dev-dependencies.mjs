#!/usr/bin/env node
// Last step of an app's Nx `prune` target: drops `devDependencies` from the libs copied into
// <dist>/workspace_modules. Nx's copy-workspace-modules keeps each lib's package.json whole, but its
// pruned lockfile has no entry for a dev dependency npm nested under the lib (libs/registry's
// openapi-typescript was, until the root's `overrides` let it use TypeScript 6), and `npm ci` then
// refuses the lockfile even with --omit=dev. A runtime install never needs a lib's dev dependencies.
// Usage: node tools/scripts/prune-dev-dependencies.mjs apps/<app>/dist
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

const dist = process.argv[2];
if (dist === undefined) {
  console.error('usage: prune-dev-dependencies.mjs <app dist dir>');
  process.exit(2);
}
const root = path.join(dist, 'workspace_modules');
const files = [];
for (const entry of await readdir(root, { withFileTypes: true })) {
  const dir = path.join(root, entry.name);
  // Scoped packages (@metarec/x) sit one level deeper.
  const packages = entry.name.startsWith('@') ? (await readdir(dir)).map((name) => path.join(dir, name)) : [dir];
  files.push(...packages.map((p) => path.join(p, 'package.json')));
}
let dropped = 0;
for (const file of files) {
  const manifest = JSON.parse(await readFile(file, 'utf8'));
  if (manifest.devDependencies !== undefined) {
    dropped += Object.keys(manifest.devDependencies).length;
    delete manifest.devDependencies;
    await writeFile(file, `${JSON.stringify(manifest, null, 2)}\n`);
  }
}
console.log(`${dist}: ${dropped} dev dependencies dropped from ${files.length} workspace modules`);
