import { defineConfig } from 'vitest/config';

import { backendUnitTestConfig } from '../../vitest.shared.js';

// Default export: vitest loads its config this way (see the lint allow-list).
// The tests that serve through a model run on cpu (`test`), wasm (`test-wasm`) and tensorflow (`test-tensorflow`).
export default defineConfig(backendUnitTestConfig());
