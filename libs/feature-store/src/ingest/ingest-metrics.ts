import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** The ingest pipeline's Prometheus metrics, registered on the app's registry. */
export class IngestMetrics {
  readonly consumed: Counter<'topic'>;
  readonly accepted: Counter<'kind'>;
  readonly deadLettered: Counter<'reason'>;
  readonly filesWritten: Counter<'kind'>;
  readonly bytesWritten: Counter<'kind'>;
  readonly flushSeconds: Histogram;
  readonly lag: Gauge<'topic' | 'partition'>;
  readonly partitionStuck: Gauge<'topic' | 'partition'>;
  readonly batchFailures: Counter<'topic' | 'partition'>;
  readonly eventToOnlineSeconds: Histogram;

  constructor(registry: Registry, prefix = 'metarec_ingest_') {
    const registers = [registry];
    this.consumed = new Counter({ name: `${prefix}consumed_total`, help: 'Messages consumed', labelNames: ['topic'], registers });
    this.accepted = new Counter({ name: `${prefix}accepted_total`, help: 'Records accepted after validation', labelNames: ['kind'], registers });
    this.deadLettered = new Counter({ name: `${prefix}dead_lettered_total`, help: 'Messages sent to the dead-letter topic', labelNames: ['reason'], registers });
    this.filesWritten = new Counter({ name: `${prefix}offline_files_written_total`, help: 'Offline Arrow files published', labelNames: ['kind'], registers });
    this.bytesWritten = new Counter({ name: `${prefix}offline_bytes_written_total`, help: 'Bytes of offline Arrow files published', labelNames: ['kind'], registers });
    this.flushSeconds = new Histogram({
      name: `${prefix}flush_duration_seconds`,
      help: 'Offline flush latency (write, fsync, rename, commit)',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.lag = new Gauge({ name: `${prefix}consumer_lag`, help: 'Messages behind the log end, per partition (updated when a batch is fetched and when it is handled)', labelNames: ['topic', 'partition'], registers });
    this.partitionStuck = new Gauge({
      name: `${prefix}partition_stuck`,
      help: '1 while a partition has lag and made no progress for the stall limit (e.g. a batch failing on every redelivery)',
      labelNames: ['topic', 'partition'],
      registers,
    });
    this.batchFailures = new Counter({ name: `${prefix}batch_failures_total`, help: 'Batches whose handling failed (each is redelivered)', labelNames: ['topic', 'partition'], registers });
    this.eventToOnlineSeconds = new Histogram({
      name: `${prefix}event_to_online_seconds`,
      help: 'Kafka message timestamp to online-store write acknowledged',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
  }
}
