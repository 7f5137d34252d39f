import { describe, expect, it } from 'vitest';

import { ModelHolder } from './model-holder.js';

class FakeModel {
  disposed = 0;
  constructor(readonly version: number) {}
  dispose(): void {
    this.disposed += 1;
  }
}

describe('ModelHolder', () => {
  it('has no model and gives no lease before the first swap', () => {
    const holder = new ModelHolder<FakeModel>();
    expect(holder.model).toBeNull();
    expect(holder.acquire()).toBeNull();
  });

  it('disposes the old model only after the last request holding it releases it', () => {
    const holder = new ModelHolder<FakeModel>();
    const v1 = new FakeModel(1);
    holder.swap(v1);
    const a = holder.acquire();
    const b = holder.acquire();
    expect(holder.swap(new FakeModel(2))).toBe(1);
    expect(holder.model?.version).toBe(2);
    expect(a?.model).toBe(v1);
    a?.release();
    a?.release(); // a second release is a no-op, not a second decrement
    expect(v1.disposed).toBe(0);
    expect(holder.retiringCount).toBe(1);
    b?.release();
    expect(v1.disposed).toBe(1);
    expect(holder.retiringCount).toBe(0);
  });

  it('disposes an idle old model at once, and new leases get the new model', () => {
    const holder = new ModelHolder<FakeModel>();
    const v1 = new FakeModel(1);
    holder.swap(v1);
    holder.swap(new FakeModel(2));
    expect(v1.disposed).toBe(1);
    expect(holder.acquire()?.model.version).toBe(2);
  });

  it('close refuses leases and disposes the current model once released', () => {
    const holder = new ModelHolder<FakeModel>();
    const v1 = new FakeModel(1);
    holder.swap(v1);
    const lease = holder.acquire();
    holder.close();
    expect(holder.acquire()).toBeNull();
    expect(v1.disposed).toBe(0);
    lease?.release();
    expect(v1.disposed).toBe(1);
    const late = new FakeModel(3);
    holder.swap(late);
    expect(late.disposed).toBe(1);
  });
});
