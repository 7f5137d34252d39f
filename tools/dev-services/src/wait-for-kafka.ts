// Readiness probe for services.sh: retries a kafkajs metadata request until the broker lists
// itself, or fails after METAREC_SERVICES_TIMEOUT_SEC. An open port is not enough: a KRaft
// broker accepts connections before its controller quorum has elected a leader.
import { Kafka, logLevel } from 'kafkajs';

const RETRY_INTERVAL_MS = 500;
const DEFAULT_TIMEOUT_SEC = 90;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function brokerAnswers(brokers: string[]): Promise<string | undefined> {
  const kafka = new Kafka({
    clientId: 'metarec-dev-services-wait',
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1_000,
    requestTimeout: 2_000,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    // fetchTopicMetadata() with no topics is a full Metadata request: proves the broker serves it.
    await admin.fetchTopicMetadata();
    return cluster.clusterId;
  } finally {
    await admin.disconnect();
  }
}

async function main(): Promise<void> {
  const brokers = (process.env['KAFKA_BROKERS'] ?? 'localhost:9092').split(',');
  const timeoutSec = Number(process.env['METAREC_SERVICES_TIMEOUT_SEC'] ?? DEFAULT_TIMEOUT_SEC);
  const deadline = Date.now() + timeoutSec * 1_000;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const clusterId = await brokerAnswers(brokers);
      console.error(`[services] kafka: metadata answered by ${brokers.join(',')} (cluster ${clusterId})`);
      return;
    } catch (error) {
      lastError = error;
      await sleep(RETRY_INTERVAL_MS);
    }
  }
  const reason = lastError instanceof Error ? lastError.message : String(lastError);
  console.error(`[services] kafka: no metadata answer from ${brokers.join(',')} within ${timeoutSec}s: ${reason}`);
  process.exitCode = 1;
}

await main();
