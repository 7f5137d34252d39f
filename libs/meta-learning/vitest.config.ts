import { defineConfig } from 'vitest/config';

import { backendUnitTestConfig } from '../../vitest.shared.js';

// Default export: vitest loads its config this way (see the lint allow-list).
// The suite runs on cpu (`test`), wasm (`test-wasm`) and tensorflow (`test-tensorflow`); see README, "Tests on each backend".
export default defineConfig(
  backendUnitTestConfig({
    ownBackendFiles: [
      // Backend selection and the env gates, whatever backend is active.
      'src/backend/select-backend.test.ts',
      'src/backend/tensorflow-threads.test.ts',
      'src/testing/tensorflow-backend-gate.test.ts',
      'src/testing/suite-backend.test.ts',
      // One backend's kernels, memory or defects.
      'src/backend/reserve-backend-memory.test.ts',
      'src/backend/segment-sum-kernel.test.ts',
      'src/backend/wasm-mat-mul-kernel.test.ts',
      'src/backend/tensorflow-kernels.test.ts',
      'src/backend/tensorflow-defects.test.ts',
      'src/backend/mat-mul-2d.test.ts',
      'src/backend/relu-grad.test.ts',
      'src/adaptation/wasm-serving.test.ts',
      'src/algorithms/tensorflow-meta-step.test.ts',
      // Every backend in one file, each selected in turn.
      'src/backend/safe-activations.test.ts',
      'src/backend/mat-mul-gradient.test.ts',
      'src/adaptation/cross-backend.test.ts',
    ],
  }),
);
