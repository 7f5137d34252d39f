// vitest setup file (vitest.config.ts): runs before each test file and selects the run's tfjs backend
// (METAREC_TEST_BACKEND, see suite-backend.ts). Without the tensorflow addon every test is skipped with the reason.
import { beforeEach } from 'vitest';

import { selectSuiteBackend } from './suite-backend.js';

const suite = await selectSuiteBackend();
const { skipReason } = suite;
if (skipReason !== undefined) {
  beforeEach((context) => {
    context.skip(skipReason);
  });
}
