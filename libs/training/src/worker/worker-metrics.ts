import { Counter, Histogram, type Registry } from 'prom-client';

/** Prometheus metrics of a training worker (registered on the injected registry). */
export class WorkerMetrics {
  readonly jobs: Counter<'queue' | 'outcome'>;
  readonly stepSeconds: Histogram;
  readonly gradientBytes: Counter;
  readonly duplicateResults: Counter;

  constructor(registry: Registry) {
    this.jobs = new Counter({ name: 'metarec_trainer_jobs_total', help: 'Jobs finished by this worker', labelNames: ['queue', 'outcome'], registers: [registry] });
    this.stepSeconds = new Histogram({
      name: 'metarec_trainer_shard_step_seconds',
      help: 'Compute time of one shard meta-step (in the compute thread)',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
      registers: [registry],
    });
    this.gradientBytes = new Counter({ name: 'metarec_trainer_gradient_bytes_total', help: 'Bytes of gradient blobs written', registers: [registry] });
    this.duplicateResults = new Counter({
      name: 'metarec_trainer_duplicate_results_total',
      help: 'Shard results ignored because another attempt was accepted first',
      registers: [registry],
    });
  }
}
