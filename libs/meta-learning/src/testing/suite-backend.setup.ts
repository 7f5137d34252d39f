// vitest setup file (vitest.config.ts): runs before each test file and selects the run's tfjs backend
// (METAREC_TEST_BACKEND: tensorflow | wasm | cpu, default cpu; see suite-backend.ts). Without the
// tensorflow addon every test is skipped with the reason (a failure with METAREC_REQUIRE_TENSORFLOW=1).
import { beforeEach } from 'vitest';

import { selectSuiteBackend } from './suite-backend.js';

const { skipReason } = await selectSuiteBackend();
if (skipReason !== undefined) {
  beforeEach((context) => {
    context.skip(skipReason);
  });
}
