import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';

import { JOB_STATES, QueueGauges, type JobCountSource, type JobState } from './queue-gauges.js';

class FakeQueue implements JobCountSource {
  reads = 0;
  asked: JobState[] = [];
  paused = false;
  constructor(
    readonly name: string,
    public counts: Record<string, number> | Error,
  ) {}
  getJobCounts(...types: JobState[]): Promise<Record<string, number>> {
    this.reads++;
    this.asked = types;
    return this.counts instanceof Error ? Promise.reject(this.counts) : Promise.resolve(this.counts);
  }
  isPaused(): Promise<boolean> {
    return this.counts instanceof Error ? Promise.reject(this.counts) : Promise.resolve(this.paused);
  }
}

const quiet = { info: (): void => undefined, warn: (): void => undefined, error: (): void => undefined };

describe('QueueGauges', () => {
  it('reads every queue at scrape time and reports each state, zero where the queue has none', async () => {
    const registry = new Registry();
    const shards = new FakeQueue('shards', { waiting: 3, active: 1, failed: 2 });
    const runs = new FakeQueue('runs', { delayed: 1 });
    new QueueGauges({ registry, queues: [shards, runs], logger: quiet });
    expect(shards.reads).toBe(0);
    const text = await registry.metrics();
    // One read per scrape, shared by both gauges.
    expect(shards.reads).toBe(1);
    expect(shards.asked).toEqual([...JOB_STATES]);
    expect(text).toContain('metarec_trainer_queue_jobs{queue="shards",state="waiting"} 3');
    expect(text).toContain('metarec_trainer_queue_jobs{queue="shards",state="failed"} 2');
    expect(text).toContain('metarec_trainer_queue_jobs{queue="shards",state="waiting-children"} 0');
    expect(text).toContain('metarec_trainer_queue_jobs{queue="runs",state="delayed"} 1');
    expect(text.match(/^metarec_trainer_queue_jobs\{/gm)).toHaveLength(2 * JOB_STATES.length);

    expect(text).toContain('metarec_trainer_queue_paused{queue="shards"} 0');

    shards.counts = { waiting: 0, completed: 4 };
    shards.paused = true;
    const next = await registry.metrics();
    expect(next).toContain('metarec_trainer_queue_paused{queue="shards"} 1');
    expect(next).toContain('metarec_trainer_queue_jobs{queue="shards",state="waiting"} 0');
    expect(next).toContain('metarec_trainer_queue_jobs{queue="shards",state="completed"} 4');
  });

  it('leaves out a queue whose read fails, reports it down and still answers the scrape', async () => {
    const registry = new Registry();
    const warnings: string[] = [];
    const logger = { ...quiet, warn: (_f: unknown, m: string): void => void warnings.push(m) };
    const broken = new FakeQueue('broken', new Error('connection lost'));
    new QueueGauges({ registry, queues: [new FakeQueue('ok', { waiting: 1 }), broken], logger });
    const text = await registry.metrics();
    expect(text).toContain('metarec_trainer_queue_jobs{queue="ok",state="waiting"} 1');
    expect(text).not.toContain('queue="broken",state=');
    expect(text).toContain('metarec_trainer_queue_up{queue="broken"} 0');
    expect(text).not.toContain('metarec_trainer_queue_paused{queue="broken"}');
    expect(text).toContain('metarec_trainer_queue_up{queue="ok"} 1');
    expect(warnings).toHaveLength(1);
    expect(broken.reads).toBe(1);
  });
});
