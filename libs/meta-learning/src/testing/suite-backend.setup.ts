// The vitest setup file of every backend-aware suite (vitest.shared.ts, backendUnitTestConfig): before
// each test file it selects the run's tfjs backend (METAREC_TEST_BACKEND; suite-backend.ts). Without the
// tensorflow addon every test is skipped with the reason (a failure with METAREC_REQUIRE_TENSORFLOW=1).
// A file the project lists as tensor-free (left out of the per-backend runs) fails if it creates a tensor.
import { afterAll, beforeEach, expect, inject } from 'vitest';

import { selectSuiteBackend, tensorCreationMark, tensorsCreatedSince } from './suite-backend.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** backendUnitTestConfig's `tensorFreeFiles`, paths from the project root. */
    tensorFreeFiles: readonly string[];
  }
}

const { skipReason } = await selectSuiteBackend();
if (skipReason !== undefined) {
  beforeEach((context) => {
    context.skip(skipReason);
  });
}

const mark = tensorCreationMark();
afterAll(() => {
  const file = expect.getState().testPath ?? '';
  if (inject('tensorFreeFiles').some((f) => file.endsWith(`/${f}`))) {
    expect(tensorsCreatedSince(mark), `${file} is listed as tensor-free (run on one backend only), but creates tensors`).toBe(0);
  }
});
