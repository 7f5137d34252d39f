import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { BackendError } from './backend-error.js';
import { type BackendLogger, parseBackendName, selectBackend } from './select-backend.js';
import { isSegmentSumKernelRegistered } from './segment-sum-kernel.js';

function recordingLogger(): BackendLogger & { lines: { level: string; message: string }[] } {
  const lines: { level: string; message: string }[] = [];
  return {
    lines,
    info: (message) => lines.push({ level: 'info', message }),
    warn: (message) => lines.push({ level: 'warn', message }),
  };
}

/** What Node throws for an absent package (so these tests also hold where tfjs-node is installed). */
function notInstalled(specifier: string): Error {
  return Object.assign(new Error(`Cannot find package '${specifier}' imported from /app/x.js`), { code: 'ERR_MODULE_NOT_FOUND' });
}
const withoutTfjsNode = (s: string): Promise<unknown> => (s.startsWith('@tensorflow/tfjs-node') ? Promise.reject(notInstalled(s)) : import(s));

describe('selectBackend', () => {
  it('chooses tensorflow when tfjs-node is importable here, otherwise logs it as not installed', async () => {
    const sel = await selectBackend();
    const first = sel.attempts[0];
    expect(first.name).toBe('tensorflow');
    expect(first.outcome === 'selected' || first.outcome === 'not-installed').toBe(true);
  });

  it('falls back from the missing tfjs-node packages to wasm with SIMD and logs why', async () => {
    const logger = recordingLogger();
    const sel = await selectBackend({ logger, importModule: withoutTfjsNode });
    expect(sel.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(sel.simd).toBe(true);
    expect(sel.attempts[0]).toMatchObject({ name: 'tensorflow', outcome: 'not-installed' });
    expect(sel.reason).toBe('wasm (SIMD) after tensorflow: not-installed');
    expect(logger.lines.filter((l) => l.level === 'warn')).toEqual([]);
    expect(logger.lines.at(-1)?.message).toBe('tfjs backend: wasm (SIMD) after tensorflow: not-installed');
    expect(isSegmentSumKernelRegistered('wasm') && isSegmentSumKernelRegistered('cpu')).toBe(true);
  });

  it('activates only the preferred backend', async () => {
    const sel = await selectBackend({ preferred: 'cpu' });
    expect(sel).toMatchObject({ name: 'cpu', reason: 'cpu, as preferred' });
    expect(tf.getBackend()).toBe('cpu');
  });

  it('reports a tfjs-node that is installed but fails to load as a warning, then falls back', async () => {
    const logger = recordingLogger();
    const broken = new Error('libtensorflow.so.2: cannot open shared object file');
    const sel = await selectBackend({
      logger,
      importModule: (s) => (s === '@tensorflow/tfjs-node-gpu' ? Promise.reject(broken) : withoutTfjsNode(s)),
    });
    expect(sel.name).toBe('wasm');
    expect(sel.attempts[0]).toMatchObject({ name: 'tensorflow', outcome: 'failed' });
    expect(logger.lines.some((l) => l.level === 'warn' && l.message.includes('libtensorflow.so.2'))).toBe(true);
  });

  it('reports an installed tfjs-node whose native addon was never built as not installed, with the setup command', async () => {
    const logger = recordingLogger();
    // What tfjs-node 4.22 throws after `npm ci` (its install script is denied in allowScripts).
    const unbuilt = new Error('The Node.js native addon module (tfjs_binding.node) can not be found at path: /x/lib/napi-v8/tfjs_binding.node.');
    const sel = await selectBackend({
      logger,
      importModule: (s) => (s === '@tensorflow/tfjs-node' ? Promise.reject(unbuilt) : withoutTfjsNode(s)),
    });
    expect(sel.name).toBe('wasm');
    expect(sel.attempts[0]).toMatchObject({ name: 'tensorflow', outcome: 'not-installed', detail: expect.stringContaining('npm run setup:tensorflow') });
    expect(logger.lines.filter((l) => l.level === 'warn')).toEqual([]);
  });

  it('rejects a tfjs-node that loads but registers no tensorflow backend (another tfjs-core copy)', async () => {
    // Where the real tfjs-node is built, the first test registered its backend into this tfjs: take
    // it out for this test (and put it back), or the simulated skew would find it.
    const real = tf.findBackendFactory('tensorflow');
    if (real !== null) {
      tf.removeBackend('tensorflow');
    }
    try {
      const sel = await selectBackend({ importModule: (s) => (s === '@tensorflow/tfjs-node-gpu' ? Promise.resolve({}) : withoutTfjsNode(s)) });
      expect(sel.attempts[0]).toMatchObject({ name: 'tensorflow', outcome: 'failed' });
      expect(sel.name).toBe('wasm');
    } finally {
      if (real !== null) {
        tf.registerBackend('tensorflow', real, 3);
      }
    }
  });

  it('fails with ML_BACKEND_UNAVAILABLE when the preferred backend is not installed', async () => {
    const err = await selectBackend({ preferred: 'tensorflow', importModule: withoutTfjsNode }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendError);
    expect((err as BackendError).code).toBe('ML_BACKEND_UNAVAILABLE');
  });

  it('parses METAREC_BACKEND values and names the field of a bad one', () => {
    expect(parseBackendName('wasm')).toBe('wasm');
    expect(() => parseBackendName('gpu')).toThrow(/METAREC_BACKEND must be one of tensorflow, wasm, cpu/);
  });
});
