import { Counter, register as globalRegistry } from 'prom-client';
import { describe, expect, it } from 'vitest';

import { createMetricsRegistry } from './create-metrics-registry.js';

describe('createMetricsRegistry', () => {
  it('gives each caller its own registry with default labels, not the global one', async () => {
    const first = createMetricsRegistry({ defaultLabels: { app: 'serving' } });
    const second = createMetricsRegistry();
    for (const registry of [first, second]) {
      new Counter({ name: 'metarec_requests_total', help: 'requests', registers: [registry] }).inc();
    }
    expect(await first.metrics()).toContain('metarec_requests_total{app="serving"} 1');
    expect(await second.metrics()).toContain('metarec_requests_total 1');
    expect(first).not.toBe(globalRegistry);
    expect(globalRegistry.getSingleMetric('metarec_requests_total')).toBeUndefined();
  });

  it('collects process metrics only when asked, with the prefix', async () => {
    expect(await createMetricsRegistry().metrics()).not.toContain('process_cpu');
    const registry = createMetricsRegistry({ collectDefaultMetrics: true, defaultMetricsPrefix: 'metarec_' });
    expect(await registry.metrics()).toContain('metarec_process_cpu_user_seconds_total');
  });

  it('rejects invalid label names', () => {
    expect(() => createMetricsRegistry({ defaultLabels: { 'bad-label': 'x' } })).toThrow(/bad-label/);
  });
});
