import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { EvaluationResults } from '@metarec/evaluation';
import { renderHtmlReport } from '@metarec/evaluation';

/**
 * Writes `results.json` and the self-contained `report.html` into `outDir`; returns their paths.
 * The report's header and config show absolute paths relative to `pathBase` (default: the working
 * directory; paths elsewhere keep only their file name), so a shared report names no machine's layout.
 */
export async function writeOutputs(outDir: string, results: EvaluationResults, command: string, pathBase: string = process.cwd()): Promise<{ json: string; html: string }> {
  await mkdir(outDir, { recursive: true });
  const json = join(outDir, 'results.json');
  const html = join(outDir, 'report.html');
  // Compact: a 5-seed, 9-method run is ~200 KB this way; pretty-print with `jq` to read it.
  await writeFile(json, `${JSON.stringify(results)}\n`);
  await writeFile(html, renderHtmlReport(results, { title: `metarec evaluation — ${results.dataset.name}`, note: command, pathBase }));
  return { json, html };
}
