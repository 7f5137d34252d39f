import { describe, expect, it } from 'vitest';

import { RuntimeOptionsError } from '../errors.js';
import { GracefulShutdown } from './graceful-shutdown.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('GracefulShutdown', () => {
  it('runs steps in order and runs every step even when one fails', async () => {
    const order: string[] = [];
    const shutdown = new GracefulShutdown({ deadlineMs: 1_000 })
      .add('http', () => void order.push('http'))
      .add('consumer', () => {
        order.push('consumer');
        throw new Error('commit failed');
      })
      .add('redis', async () => {
        await sleep(5);
        order.push('redis');
      });
    const report = await shutdown.run('SIGTERM');
    expect(order).toEqual(['http', 'consumer', 'redis']);
    expect(report.ok).toBe(false);
    expect(report.steps.map((step) => step.status)).toEqual(['closed', 'failed', 'closed']);
    const failed = report.steps[1];
    expect(failed?.status === 'failed' && failed.error.code).toBe('RT_SHUTDOWN_STEP_FAILED');
    expect(failed?.status === 'failed' && (failed.error.cause as Error).message).toBe('commit failed');
  });

  it('aborts the step running at the deadline and skips the rest', async () => {
    let aborted = false;
    let lateRan = false;
    const shutdown = new GracefulShutdown({ deadlineMs: 50 })
      .add('stuck', (signal) => new Promise<void>((resolve) => signal.addEventListener('abort', () => {
        aborted = true;
        resolve();
      })))
      .add('late', () => {
        lateRan = true;
      });
    const report = await shutdown.run();
    expect(report.steps.map((step) => step.status)).toEqual(['timed-out', 'skipped']);
    expect(aborted).toBe(true);
    expect(lateRan).toBe(false);
    expect(report.durationMs).toBeLessThan(1_000);
  });

  it('returns the same report to a second run and refuses new steps once started', async () => {
    let calls = 0;
    const shutdown = new GracefulShutdown().add('once', async () => {
      calls += 1;
      await sleep(5);
    });
    const [first, second] = await Promise.all([shutdown.run('SIGTERM'), shutdown.run('SIGINT')]);
    expect(first).toBe(second);
    expect(calls).toBe(1);
    expect(shutdown.state).toEqual({ status: 'done', report: first });
    expect(() => shutdown.add('late', () => undefined)).toThrow(RuntimeOptionsError);
  });

  it('rejects a non-positive deadline and duplicate step names', () => {
    expect(() => new GracefulShutdown({ deadlineMs: 0 })).toThrow(/deadlineMs/);
    expect(() => new GracefulShutdown().add('a', () => undefined).add('a', () => undefined)).toThrow(/duplicate/);
  });
});
