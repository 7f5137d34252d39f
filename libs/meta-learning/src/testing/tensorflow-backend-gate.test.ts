import { describe, expect, it } from 'vitest';

import { probeTensorflowBackend, REQUIRE_TENSORFLOW_ENV } from './tensorflow-backend-gate.js';

const absent = (): Promise<unknown> =>
  Promise.reject(Object.assign(new Error(`Cannot find package '@tensorflow/tfjs-node' imported from /app/x.js`), { code: 'ERR_MODULE_NOT_FOUND' }));
// What tfjs-node 4.22 throws after `npm ci` when its addon was never built (install script denied).
const unbuilt = (): Promise<unknown> =>
  Promise.reject(new Error('The Node.js native addon module (tfjs_binding.node) can not be found at path: /x/lib/napi-v8/tfjs_binding.node.'));
const broken = (): Promise<unknown> => Promise.reject(new Error('libtensorflow_cc.so.2: cannot open shared object file'));

describe('probeTensorflowBackend', () => {
  it('reports an absent package or an unbuilt addon as unavailable, naming the setup command', async () => {
    await expect(probeTensorflowBackend({}, absent)).resolves.toMatchObject({ available: false, detail: expect.stringContaining('not installed') });
    const r = await probeTensorflowBackend({}, unbuilt);
    expect(r).toMatchObject({ available: false, detail: expect.stringContaining('native addon not built') });
    expect(r.detail).toContain('npm run setup:tensorflow');
  });

  it(`throws instead when ${REQUIRE_TENSORFLOW_ENV}=1 (CI must not skip)`, async () => {
    await expect(probeTensorflowBackend({ [REQUIRE_TENSORFLOW_ENV]: '1' }, unbuilt)).rejects.toThrow(/METAREC_REQUIRE_TENSORFLOW=1 but the tensorflow backend is unavailable/);
    await expect(probeTensorflowBackend({ [REQUIRE_TENSORFLOW_ENV]: '1' }, absent)).rejects.toThrow(/not installed/);
  });

  it('throws for an installed tfjs-node that fails to load, required or not', async () => {
    await expect(probeTensorflowBackend({}, broken)).rejects.toThrow(/installed but does not load: libtensorflow_cc/);
  });

  it('reports available when the import succeeds', async () => {
    await expect(probeTensorflowBackend({ [REQUIRE_TENSORFLOW_ENV]: '1' }, () => Promise.resolve({}))).resolves.toMatchObject({ available: true });
  });
});
