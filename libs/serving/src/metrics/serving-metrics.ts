import { liveTensorCount } from '@metarec/meta-learning';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

import { REQUEST_STAGES, type StageTimings } from '../recommend/request-timings.js';

/** Which model answered: the prior (cold), a fresh adaptation, or a cached one. */
export type ServingPath = 'cold' | 'adapted' | 'cached';

/** Stage buckets, seconds: most stages take 10 µs to a few ms. */
const STAGE_BUCKETS = [0.00001, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.002, 0.003, 0.005, 0.01, 0.02, 0.05];

/** Latency buckets, seconds: dense between 1 and 20 ms where the targets are. */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.03, 0.05, 0.1, 0.25, 0.5, 1];

/**
 * The serving metrics, registered on the app's registry (never the global one). Cache hit rate is
 * `rate(metarec_serving_user_cache_total{result="hit"}[5m]) / rate(metarec_serving_user_cache_total[5m])`.
 */
export class ServingMetrics {
  readonly httpDuration: Histogram<'route' | 'method' | 'status'>;
  readonly recommendations: Counter<'path' | 'endpoint'>;
  readonly userCache: Counter<'result'>;
  readonly userCacheEntries: Gauge;
  readonly adaptationSteps: Counter;
  readonly adaptationDuration: Histogram;
  readonly adaptationRefused: Counter<'refusal'>;
  readonly degraded: Counter<'source'>;
  readonly modelVersion: Gauge;
  readonly modelSwaps: Counter<'outcome'>;
  /** The version the alias names while the pod serves an earlier one because that bundle was refused; 0 otherwise. */
  readonly modelFallbackFrom: Gauge;
  readonly feedback: Counter<'outcome'>;
  readonly liveTensors: Gauge;
  readonly stageDuration: Histogram<'stage'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.httpDuration = new Histogram({
      name: 'metarec_serving_http_request_duration_seconds',
      help: 'HTTP request latency by route template, method and status',
      labelNames: ['route', 'method', 'status'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.recommendations = new Counter({ name: 'metarec_serving_responses_total', help: 'Ranked responses by model path', labelNames: ['path', 'endpoint'], registers });
    this.userCache = new Counter({ name: 'metarec_serving_user_cache_total', help: 'Adapted-user cache lookups of users with interactions, hit or miss', labelNames: ['result'], registers });
    this.userCacheEntries = new Gauge({ name: 'metarec_serving_user_cache_entries', help: 'Adapted users held in memory', registers });
    this.adaptationSteps = new Counter({ name: 'metarec_serving_adaptation_steps_total', help: 'Inner SGD steps run at request time', registers });
    this.adaptationDuration = new Histogram({ name: 'metarec_serving_adaptation_duration_seconds', help: 'adapt() wall time per user', buckets: LATENCY_BUCKETS, registers });
    this.adaptationRefused = new Counter({ name: 'metarec_serving_adaptation_refused_total', help: 'Adaptations refused by the per-process bound (served from the prior)', labelNames: ['refusal'], registers });
    this.degraded = new Counter({ name: 'metarec_serving_degraded_total', help: 'Responses served degraded, by failing dependency', labelNames: ['source'], registers });
    this.modelVersion = new Gauge({ name: 'metarec_serving_model_version', help: 'Registry version of the serving model (0: none loaded)', registers });
    this.modelFallbackFrom = new Gauge({
      name: 'metarec_serving_model_fallback_from_version',
      help: 'Version the alias names while an earlier one serves because its bundle was refused (0: serving what the alias names)',
      registers,
    });
    this.modelSwaps = new Counter({ name: 'metarec_serving_model_loads_total', help: 'Bundle loads by outcome (loaded, refused)', labelNames: ['outcome'], registers });
    this.feedback = new Counter({ name: 'metarec_serving_feedback_total', help: 'Feedback events by outcome (accepted, invalid, unavailable, shed: refused during the cooldown after a failed send, unauthorized, rate_limited)', labelNames: ['outcome'], registers });
    this.stageDuration = new Histogram({
      name: 'metarec_serving_stage_duration_seconds',
      help: 'Time per stage of a recommendation request (user, candidates, profiles, encode, queue, adapt, score, rank)',
      labelNames: ['stage'],
      buckets: STAGE_BUCKETS,
      registers,
    });
    this.liveTensors = new Gauge({
      name: 'metarec_serving_live_tensors',
      help: 'tf.memory().numTensors: flat under steady load, growth is a leak',
      registers,
      collect(): void {
        this.set(liveTensorCount());
      },
    });
  }

  /** Observes every stage a request ran. */
  observeStages(timings: StageTimings): void {
    for (const stage of REQUEST_STAGES) {
      const ms = timings[stage];
      if (ms !== undefined) {
        this.stageDuration.observe({ stage }, ms / 1000);
      }
    }
  }
}
