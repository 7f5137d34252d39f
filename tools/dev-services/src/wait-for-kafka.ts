// Readiness probe for services.sh: retries a metadata request (listing topics through the
// `KAFKA_CLIENT` adapter of @metarec/streaming) until the broker answers, or fails after
// METAREC_SERVICES_TIMEOUT_SEC. An open port is not enough: a KRaft broker accepts connections
// before its controller quorum has elected a leader.
import { createKafkaClient, DEFAULT_KAFKA_CLIENT_KIND, parseBrokerList, parseKafkaClientKind, type KafkaClient } from '@metarec/streaming';

const RETRY_INTERVAL_MS = 500;
const DEFAULT_TIMEOUT_SEC = 90;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function brokerAnswers(client: KafkaClient): Promise<number> {
  const admin = await client.createTopicAdmin();
  try {
    // A Metadata request: proves the broker serves it, not just that its port is open.
    return (await admin.listTopics()).length;
  } finally {
    await admin.close();
  }
}

async function main(): Promise<void> {
  const brokers = parseBrokerList(process.env['KAFKA_BROKERS'] ?? 'localhost:9092');
  const kind = parseKafkaClientKind(process.env['KAFKA_CLIENT'] ?? DEFAULT_KAFKA_CLIENT_KIND);
  const timeoutSec = Number(process.env['METAREC_SERVICES_TIMEOUT_SEC'] ?? DEFAULT_TIMEOUT_SEC);
  const client = await createKafkaClient({ kind, brokers, clientId: 'metarec-dev-services-wait', connectionTimeoutMs: 1_000, requestTimeoutMs: 2_000, retries: 0 });
  const deadline = Date.now() + timeoutSec * 1_000;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const topics = await brokerAnswers(client);
      console.error(`[services] kafka: metadata answered by ${brokers.join(',')} (${topics} topics)`);
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
