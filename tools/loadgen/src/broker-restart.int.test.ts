// Issue 17, defect 12: loadgen died on an uncaught STREAM_SEND_FAILED when the broker restarted
// mid-run. This test restarts a private broker (never the shared dev one) under a running loadgen.
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { freePort, recordScenarioFigures } from '@metarec/runtime/testing';
import { KafkaJsClient } from '@metarec/streaming';
import { afterAll, describe, expect, it } from 'vitest';

const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SERVICES_LIB = join(PROJECT_ROOT, '..', 'dev-services', 'bin', 'lib');
const run = promisify(execFile);

/** A broker of our own, started and stopped with the dev-services scripts under a temp data dir. */
interface PrivateKafka {
  readonly brokers: string;
  up(): Promise<void>;
  down(): Promise<void>;
}

async function privateKafka(dataDir: string): Promise<PrivateKafka> {
  const [port, controllerPort] = [await freePort(), await freePort()];
  const env = { ...process.env, METAREC_DATA_DIR: dataDir, METAREC_KAFKA_PORT: String(port), METAREC_KAFKA_CONTROLLER_PORT: String(controllerPort) };
  const script = (steps: string): Promise<unknown> =>
    run('bash', ['-c', `set -euo pipefail; source "${SERVICES_LIB}/common.sh"; source "${SERVICES_LIB}/kafka.sh"; ${steps}`], { env, timeout: 120_000 });
  return {
    brokers: `localhost:${port}`,
    up: async () => void (await script('kafka_up_async; kafka_wait')),
    down: async () => void (await script('kafka_down')),
  };
}

const javaFound = await run('java', ['-version']).then(
  () => true,
  () => false,
);
const jarsFound = existsSync(join(PROJECT_ROOT, '..', '..', '.cache', 'kafka'));

describe.skipIf(!javaFound || !jarsFound)('loadgen across a broker restart (private real Kafka)', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) {
      await step();
    }
  });

  it('retries the sends the restart failed, reports them, and delivers every event', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'loadgen-restart-'));
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
    const kafka = await privateKafka(dataDir);
    await kafka.up();
    cleanup.push(() => kafka.down());

    const count = 20_000;
    const topic = 'loadgen-restart.interactions';
    const args = ['--brokers', kafka.brokers, '--count', String(count), '--rate', '2000', '--partitions', '2', '--retry-for-ms', '120000'];
    const topicArgs = ['--topic-interactions', topic, '--topic-user-profiles', 'loadgen-restart.users', '--topic-item-profiles', 'loadgen-restart.items'];
    const child = spawn(process.execPath, ['--conditions=@metarec/source', '--import', 'tsx', 'src/main.ts', ...args, ...topicArgs], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => void (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    cleanup.push(async () => void child.kill('SIGKILL'));

    // Once events are in the log (loadgen started and created its topic: a fixed wait was too short
    // on a loaded machine), restart the broker (controlled shutdown, a pause, start) mid-stream.
    const watcher = new KafkaJsClient({ brokers: [kafka.brokers], clientId: 'loadgen-restart-watch' });
    const watch = await watcher.createTopicAdmin();
    const startedBy = Date.now() + 120_000;
    for (;;) {
      // The topic does not exist until loadgen creates it.
      const ends = (await watch.listTopics()).includes(topic) ? await watch.endOffsets(topic) : new Map<number, bigint>();
      if ([...ends.values()].some((end) => end > 0n)) {
        break;
      }
      expect(Date.now(), `loadgen sent nothing within 120 s: ${stderr.slice(-500)}`).toBeLessThan(startedBy);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await watch.close();
    await kafka.down();
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await kafka.up();

    const code = await exited;
    expect(code, stderr.slice(-2_000)).toBe(0);
    const report = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as { sent: number; failed: number; retries: number };
    expect(report).toMatchObject({ sent: count, failed: 0 });
    expect(report.retries).toBeGreaterThan(0);
    expect(stderr).toContain('send failed; retrying');

    const client = new KafkaJsClient({ brokers: [kafka.brokers], clientId: 'loadgen-restart-test' });
    const admin = await client.createTopicAdmin();
    try {
      const ends = await admin.endOffsets(topic);
      // At least once: a retried batch whose first ack was lost may be in the log twice.
      const inLog = [...ends.values()].reduce((n, end) => n + Number(end), 0);
      expect(inLog).toBeGreaterThanOrEqual(count);
      recordScenarioFigures('broker restart mid-stream (loadgen)', { eventsSent: report.sent, failed: report.failed, retries: report.retries, inLog });
    } finally {
      await admin.close();
    }
  }, 300_000);
});
