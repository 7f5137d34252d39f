import { collectDefaultMetrics, Registry } from 'prom-client';

import { RuntimeOptionsError } from '../errors.js';

/** Options of `createMetricsRegistry`. */
export interface MetricsRegistryOptions {
  /**
   * Also collect Node process metrics (CPU, heap, event-loop lag, GC). Off by default so tests
   * and short CLIs do not start the collectors' timers. @defaultValue `false`
   */
  readonly collectDefaultMetrics?: boolean;
  /** Prefix for the default metrics' names, e.g. `'metarec_serving_'`. @defaultValue `''` */
  readonly defaultMetricsPrefix?: string;
  /** Labels added to every metric of this registry (e.g. `{ app: 'serving' }`). @defaultValue `{}` */
  readonly defaultLabels?: Readonly<Record<string, string>>;
}

/** Defaults laid under `MetricsRegistryOptions`. */
export const DEFAULT_METRICS_REGISTRY_OPTIONS = {
  collectDefaultMetrics: false,
  defaultMetricsPrefix: '',
  defaultLabels: {},
} as const satisfies Required<MetricsRegistryOptions>;

/** Prometheus metric and label names: `[a-zA-Z_:][a-zA-Z0-9_:]*` (labels without `:`). */
const METRIC_PREFIX_PATTERN = /^([a-zA-Z_:][a-zA-Z0-9_:]*)?$/;
const LABEL_NAME_PATTERN = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * Creates a fresh prom-client `Registry`, never the global one, so each app (and each test)
 * owns its metrics and two registries in one process never collide. Libs receive it through
 * their options (`{ registry }`) and register their own counters on it.
 *
 * @throws RuntimeOptionsError (`RT_OPTIONS_INVALID`) on an invalid prefix or label name.
 */
export function createMetricsRegistry(options: MetricsRegistryOptions = {}): Registry {
  const merged = { ...DEFAULT_METRICS_REGISTRY_OPTIONS, ...options };
  if (!METRIC_PREFIX_PATTERN.test(merged.defaultMetricsPrefix)) {
    throw new RuntimeOptionsError('defaultMetricsPrefix', `"${merged.defaultMetricsPrefix}" is not a valid metric name prefix`);
  }
  for (const label of Object.keys(merged.defaultLabels)) {
    if (!LABEL_NAME_PATTERN.test(label)) {
      throw new RuntimeOptionsError('defaultLabels', `"${label}" is not a valid label name`);
    }
  }
  const registry = new Registry();
  registry.setDefaultLabels({ ...merged.defaultLabels });
  if (merged.collectDefaultMetrics) {
    collectDefaultMetrics({ register: registry, prefix: merged.defaultMetricsPrefix });
  }
  return registry;
}
