// Sums the vitest JSON reports under a directory (one per project and run, written by the
// reporters set in vitest.shared.ts) into the one closing line of `npm test`:
//   tests: <passed> passed, <failed> failed, <skipped> skipped (<n> reports, <k> test files failed to run)
// Exits 1 when a report is unreadable, so a broken report cannot pass as zero tests.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

function reportFiles(dir) {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.json'))
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name))
    .sort();
}

const dir = process.argv[2];
if (dir === undefined) {
  console.error('usage: node sum-test-reports.mjs <reports dir>');
  process.exit(2);
}
const totals = { passed: 0, failed: 0, skipped: 0, reports: 0, failedFiles: 0 };
let unreadable = 0;
for (const file of reportFiles(dir)) {
  let report;
  try {
    report = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    console.error(`unreadable test report ${file}: ${error.message}`);
    unreadable += 1;
    continue;
  }
  totals.passed += report.numPassedTests;
  totals.failed += report.numFailedTests;
  totals.skipped += report.numPendingTests + report.numTodoTests;
  // A file that failed to load has no test results, only a failed suite.
  totals.failedFiles += report.testResults.filter((file) => file.status === 'failed' && file.assertionResults.length === 0).length;
  totals.reports += 1;
}
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped (${totals.reports} reports, ${totals.failedFiles} test files failed to run)`);
process.exit(unreadable > 0 ? 1 : 0);
