import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { selectSuiteBackend, suiteBackendName, tensorCreationMark, tensorsCreatedSince, TEST_BACKEND_ENV } from './suite-backend.js';
import { REQUIRE_TENSORFLOW_ENV } from './tensorflow-backend-gate.js';

// What tfjs-node 4.22 throws after `npm ci` when its addon was never built (install script denied).
const withoutTensorflowAddon = (specifier: string): Promise<unknown> =>
  specifier.startsWith('@tensorflow/tfjs-node')
    ? Promise.reject(new Error('The Node.js native addon module (tfjs_binding.node) can not be found at path: /x/lib/napi-v8/tfjs_binding.node.'))
    : import(specifier);

describe('suiteBackendName', () => {
  it('is cpu when METAREC_TEST_BACKEND is unset or empty, else the named backend', () => {
    expect(suiteBackendName({})).toBe('cpu');
    expect(suiteBackendName({ [TEST_BACKEND_ENV]: '' })).toBe('cpu');
    expect(suiteBackendName({ [TEST_BACKEND_ENV]: 'wasm' })).toBe('wasm');
    expect(suiteBackendName({ [TEST_BACKEND_ENV]: 'tensorflow' })).toBe('tensorflow');
  });

  it('refuses any other value, naming the variable (a typo must not quietly test cpu)', () => {
    expect(() => suiteBackendName({ [TEST_BACKEND_ENV]: 'WASM' })).toThrow(/METAREC_TEST_BACKEND must be one of tensorflow, wasm, cpu, got "WASM"/);
  });
});

describe('selectSuiteBackend', () => {
  it('activates the named backend through selectBackend', async () => {
    const wasm = await selectSuiteBackend({ [TEST_BACKEND_ENV]: 'wasm' });
    expect(wasm).toMatchObject({ name: 'wasm', selection: { name: 'wasm' } });
    expect(tf.getBackend()).toBe('wasm');
    const cpu = await selectSuiteBackend({});
    expect(cpu.selection?.reason).toBe('cpu, as preferred');
    expect(tf.getBackend()).toBe('cpu');
  });

  it('returns a skip reason for tensorflow without its addon, and leaves the active backend alone', async () => {
    const r = await selectSuiteBackend({ [TEST_BACKEND_ENV]: 'tensorflow' }, withoutTensorflowAddon);
    expect(r.selection).toBeUndefined();
    expect(r.skipReason).toMatch(/^METAREC_TEST_BACKEND=tensorflow, but @tensorflow\/tfjs-node native addon not built; run `npm run setup:tensorflow`$/);
    expect(tf.getBackend()).toBe('cpu');
  });

  it(`throws instead when ${REQUIRE_TENSORFLOW_ENV}=1 (CI must not skip)`, async () => {
    await expect(selectSuiteBackend({ [TEST_BACKEND_ENV]: 'tensorflow', [REQUIRE_TENSORFLOW_ENV]: '1' }, withoutTensorflowAddon)).rejects.toThrow(
      /METAREC_REQUIRE_TENSORFLOW=1 but the tensorflow backend is unavailable/,
    );
  });
});

describe('tensorsCreatedSince (the tensor-free check of the setup file)', () => {
  it('counts tensors created after the mark, disposed ones included, and not its own probes', () => {
    const mark = tensorCreationMark();
    expect(tensorsCreatedSince(mark)).toBe(0);
    const again = tensorCreationMark();
    tf.tidy(() => tf.add(tf.ones([2]), tf.ones([2])));
    expect(tensorsCreatedSince(again)).toBe(3);
  });
});
