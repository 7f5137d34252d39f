import type { TraceSpan } from '@metarec/training';

/** Mean duration (ms) of each span name, and derived latencies, over the steps of one configuration. */
export interface StepBreakdown {
  readonly steps: number;
  /** Mean span duration per step and name, ms (coordinator spans: summed over the step; shard spans: mean over shards). */
  readonly spanMs: Readonly<Record<string, number>>;
  /** Derived, ms: gaps between spans (see {@link summarizeSteps}). */
  readonly derivedMs: Readonly<Record<string, number>>;
}

const mean = (a: readonly number[]): number => (a.length === 0 ? Number.NaN : a.reduce((x, y) => x + y, 0) / a.length);
const round = (x: number): number => Math.round(x * 100) / 100;

/**
 * Per-step breakdown of a traced run. Derived figures:
 * - `step`: publish start of step s → publish start of step s+1 (steps with a successor only);
 * - `publishToPickup`: enqueue end → a shard's processing start (queue latency; first shard of a worker);
 * - `storeToFetch`: the last shard's gradient stored → the coordinator's last read starts (completion notification);
 * - `shardCriticalPath`: first pickup → last gradient stored;
 * - `afterFetch`: fetch end → next step's publish start (aggregate, Adam, cleanup, checkpoint, status, loop);
 * - `fetchReadsPerStep`: reads of the step's missing gradients (one per barrier wake-up or poll);
 * - `computeMessaging`: worker.compute − worker.compute.thread (structured clone to/from the compute thread).
 */
export function summarizeSteps(spans: readonly TraceSpan[], skipSteps = 1): StepBreakdown {
  // Keyed by run and step, so spans of several runs (rounds) can be summarized together.
  const key = (runId: string, step: number): string => `${runId}\u0000${step}`;
  const byStep = new Map<string, TraceSpan[]>();
  for (const s of spans) {
    if (s.step < skipSteps) {
      continue;
    }
    const k = key(s.runId, s.step);
    const list = byStep.get(k) ?? [];
    list.push(s);
    byStep.set(k, list);
  }
  const durations = new Map<string, number[]>();
  const derived = new Map<string, number[]>();
  const push = (m: Map<string, number[]>, k: string, v: number): void => {
    if (Number.isFinite(v)) {
      m.set(k, [...(m.get(k) ?? []), v]);
    }
  };
  const steps = [...byStep.keys()];
  for (const k of steps) {
    const list = byStep.get(k) ?? [];
    const { runId, step } = list[0];
    const one = (name: string): TraceSpan | undefined => list.find((s) => s.name === name);
    const perName = new Map<string, number[]>();
    for (const s of list) {
      perName.set(s.name, [...(perName.get(s.name) ?? []), s.endMs - s.startMs]);
    }
    for (const [name, ds] of perName) {
      // Coordinator spans that repeat in a step (fetch per wake-up) add up; shard spans: the mean over shards.
      push(durations, name, name.startsWith('coord.') ? ds.reduce((x, y) => x + y, 0) : mean(ds));
    }
    const publish = one('coord.publish');
    const nextPublish = byStep.get(key(runId, step + 1))?.find((s) => s.name === 'coord.publish');
    const enqueue = one('coord.enqueue');
    const fetches = list.filter((s) => s.name === 'coord.fetch');
    // The last read of the step (the one that found every shard).
    const fetch = fetches.length === 0 ? undefined : fetches.reduce((x, y) => (y.startMs > x.startMs ? y : x));
    const pickups = list.filter((s) => s.name === 'worker.pickup');
    const stores = list.filter((s) => s.name === 'worker.store');
    push(derived, 'fetchReadsPerStep', fetches.length);
    if (publish !== undefined && nextPublish !== undefined) {
      push(derived, 'step', nextPublish.startMs - publish.startMs);
    }
    if (enqueue !== undefined && pickups.length > 0) {
      push(derived, 'publishToPickup', Math.min(...pickups.map((p) => p.endMs)) - enqueue.endMs);
    }
    if (fetch !== undefined && stores.length > 0) {
      push(derived, 'storeToFetch', fetch.startMs - Math.max(...stores.map((s) => s.endMs)));
    }
    if (pickups.length > 0 && stores.length > 0) {
      push(derived, 'shardCriticalPath', Math.max(...stores.map((s) => s.endMs)) - Math.min(...pickups.map((p) => p.endMs)));
    }
    if (fetch !== undefined && nextPublish !== undefined) {
      push(derived, 'afterFetch', nextPublish.startMs - fetch.endMs);
    }
    const compute = list.filter((s) => s.name === 'worker.compute');
    const thread = list.filter((s) => s.name === 'worker.compute.thread');
    if (compute.length > 0 && compute.length === thread.length) {
      push(derived, 'computeMessaging', mean(compute.map((c, i) => c.endMs - c.startMs - (thread[i].endMs - thread[i].startMs))));
    }
  }
  const toRecord = (m: Map<string, number[]>): Record<string, number> => Object.fromEntries([...m].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, round(mean(v))]));
  return { steps: steps.length, spanMs: toRecord(durations), derivedMs: toRecord(derived) };
}
