// Lists each lib's public names (src/index.ts and src/testing.ts) and which of them other projects
// import. Usage: npx tsx tools/workspace/src/public-api/main.ts [--write] [--unused]
//   (no flag)  prints exported / used outside / unused outside per entry
//   --unused   also prints the unused names per entry, the candidates to drop from index.ts
//   --write    rewrites the committed snapshots in tools/workspace/public-api/
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { formatTable, formatUnused, measurePublicSurfaces, SNAPSHOT_DIR, snapshotPath, snapshotText } from './public-api.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const { values } = parseArgs({ options: { write: { type: 'boolean', default: false }, unused: { type: 'boolean', default: false } } });

const surfaces = measurePublicSurfaces(ROOT);
process.stdout.write(`${formatTable(surfaces)}\n`);
if (values.unused) {
  process.stdout.write(`\n${formatUnused(surfaces)}\n`);
}
if (values.write) {
  mkdirSync(join(ROOT, SNAPSHOT_DIR), { recursive: true });
  // A removed lib leaves no snapshot behind.
  for (const file of readdirSync(join(ROOT, SNAPSHOT_DIR))) {
    rmSync(join(ROOT, SNAPSHOT_DIR, file));
  }
  for (const surface of surfaces) {
    writeFileSync(join(ROOT, snapshotPath(surface.lib)), snapshotText(surface));
  }
  process.stdout.write(`\nwrote ${surfaces.length} snapshots to ${SNAPSHOT_DIR}/\n`);
}
