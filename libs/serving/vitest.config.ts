import { defineConfig } from 'vitest/config';

import { backendUnitTestConfig } from '../../vitest.shared.js';

// Default export: vitest loads its config this way (see the lint allow-list).
// The tests that touch tensors run on cpu (`test`), wasm (`test-wasm`) and tensorflow (`test-tensorflow`); see README.
export default defineConfig(
  backendUnitTestConfig({
    ownBackendFiles: [
      // Pins wasm: it measures the wasm tensor heap reserved at install.
      'src/service/serving-service.test.ts',
      // Every backend in one file, each selected in turn.
      'src/recommend/cross-backend-ranking.test.ts',
    ],
    tensorFreeFiles: [
      'src/adaptation/adaptation-gate.test.ts',
      'src/adaptation/effective-adaptation.test.ts',
      'src/cache/item-profile-cache.test.ts',
      'src/cache/ttl-lru.test.ts',
      'src/cache/user-model-cache.test.ts',
      'src/candidates/candidate-generator.equivalence.test.ts',
      'src/candidates/candidate-generator.test.ts',
      'src/candidates/co-occurrence-merge.test.ts',
      'src/candidates/score-sums.test.ts',
      'src/candidates/seen-stamps.test.ts',
      'src/candidates/shared-list.test.ts',
      'src/feedback/feedback-auth.test.ts',
      'src/feedback/feedback-service.test.ts',
      'src/feedback/pending-interactions.test.ts',
      'src/metrics/user-context-cache-metrics.test.ts',
      'src/model/model-holder.test.ts',
      'src/recommend/rank.test.ts',
      'src/recommend/score-memo.test.ts',
    ],
  }),
);
