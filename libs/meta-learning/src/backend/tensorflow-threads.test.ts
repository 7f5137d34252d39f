import { describe, expect, it } from 'vitest';

import { applyTensorflowThreadDefaults } from './tensorflow-threads.js';

describe('applyTensorflowThreadDefaults', () => {
  it('sets one thread per pool where the deployment set nothing', () => {
    const env: Record<string, string | undefined> = {};
    expect(applyTensorflowThreadDefaults(env)).toEqual({ intraOp: 1, interOp: 1, oneDnn: false, fromEnv: false });
    expect(env).toEqual({ TF_NUM_INTRAOP_THREADS: '1', TF_NUM_INTEROP_THREADS: '1', TF_ENABLE_ONEDNN_OPTS: '0' });
  });

  it("keeps the deployment's values (0 = TensorFlow's own choice)", () => {
    const env: Record<string, string | undefined> = { TF_NUM_INTRAOP_THREADS: '4', TF_NUM_INTEROP_THREADS: '0', TF_ENABLE_ONEDNN_OPTS: '1' };
    expect(applyTensorflowThreadDefaults(env)).toEqual({ intraOp: 4, interOp: 0, oneDnn: true, fromEnv: true });
    expect(env['TF_NUM_INTRAOP_THREADS']).toBe('4');
  });

  it('names the variable of a bad value', () => {
    expect(() => applyTensorflowThreadDefaults({ TF_NUM_INTRAOP_THREADS: 'two' })).toThrow(/TF_NUM_INTRAOP_THREADS must be an integer/);
    expect(() => applyTensorflowThreadDefaults({ TF_NUM_INTEROP_THREADS: '-1' })).toThrow(/TF_NUM_INTEROP_THREADS/);
    expect(() => applyTensorflowThreadDefaults({ TF_ENABLE_ONEDNN_OPTS: 'yes' })).toThrow(/TF_ENABLE_ONEDNN_OPTS must be 0 or 1/);
  });
});
