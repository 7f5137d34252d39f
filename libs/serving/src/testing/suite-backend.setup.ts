// vitest setup file (vitest.config.ts): runs before each test file and selects the run's tfjs backend
// (METAREC_TEST_BACKEND: tensorflow | wasm | cpu, default cpu; see selectSuiteBackend). Without the
// tensorflow addon every test is skipped with the reason (a failure with METAREC_REQUIRE_TENSORFLOW=1).
import { selectSuiteBackend } from '@metarec/meta-learning/testing';
import { beforeEach } from 'vitest';

const { skipReason } = await selectSuiteBackend();
if (skipReason !== undefined) {
  beforeEach((context) => {
    context.skip(skipReason);
  });
}
