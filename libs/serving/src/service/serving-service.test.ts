import { adaptedTensorBytes, reserveBackendMemory, selectBackend } from '@metarec/meta-learning';
import { beforeAll, describe, expect, it } from 'vitest';

import { buildTestServing } from '../testing/test-serving.js';

describe('ServingService model swaps', () => {
  beforeAll(async () => {
    await selectBackend({ preferred: 'wasm' });
  });

  it('grows the wasm tensor heap at install for a full adapted-user cache, once', async () => {
    const t = await buildTestServing({ service: { userCache: { maxEntries: 3_000 } } });
    try {
      const model = t.service.holder.model;
      if (model === null) {
        throw new Error('buildTestServing installs model v1');
      }
      const perUser = adaptedTensorBytes(model.params.model);
      expect(perUser).toBeGreaterThan(0);
      const heap = reserveBackendMemory(0).heapBytes;
      expect(heap).toBeGreaterThanOrEqual(3_000 * perUser + 32 * 2 ** 20);
      // A hot swap to a model of the same shape finds the room already there.
      t.service.install(await t.loadModel(2));
      expect(reserveBackendMemory(0).heapBytes).toBe(heap);
    } finally {
      await t.close();
    }
  });
});
