import { defineConfig } from 'vitest/config';

import { backendUnitTestConfig } from '../../vitest.shared.js';

// Default export: vitest loads its config this way (see the lint allow-list).
// The suite runs on cpu (`test`), wasm (`test-wasm`) and tensorflow (`test-tensorflow`); see README.
export default defineConfig(
  backendUnitTestConfig({
    setupFile: 'src/testing/suite-backend.setup.ts',
    singleRunFiles: [
      // Pins wasm: it measures the wasm tensor heap reserved at install.
      'src/service/serving-service.test.ts',
      // Every backend in one file, each selected in turn.
      'src/recommend/cross-backend-ranking.test.ts',
    ],
  }),
);
