#!/usr/bin/env node
// metarec-loadgen: synthetic events to Kafka at a rate (or as fast as possible), with a share of malformed ones.
import { encodeRecord, ItemProfileSchema, UserProfileSchema } from '@metarec/schemas';
import { createKafkaClient, DEFAULT_KAFKA_CLIENT_KIND, parseBrokerList, parseKafkaClientKind, type OutgoingMessage } from '@metarec/streaming';
import { Command, InvalidArgumentError } from 'commander';

import { EventSource } from './event-source.js';
import { pacedSend } from './paced-send.js';

function positiveInt(raw: string): number {
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new InvalidArgumentError('expected a positive integer');
  }
  return value;
}

function rate(raw: string): number {
  if (raw === 'max') {
    return Infinity;
  }
  const value = Number(raw);
  if (!(value > 0)) {
    throw new InvalidArgumentError('expected events per second > 0, or "max"');
  }
  return value;
}

function fraction(raw: string): number {
  const value = Number(raw);
  if (!(value >= 0 && value <= 1)) {
    throw new InvalidArgumentError('expected a number within [0, 1]');
  }
  return value;
}

const program = new Command('metarec-loadgen')
  .description('Produce synthetic metarec events (datasets generator) to Kafka')
  .option('--brokers <list>', 'Kafka brokers, comma-separated', process.env['KAFKA_BROKERS'] ?? 'localhost:9092')
  .option('--topic-interactions <name>', 'interactions topic', 'metarec.interactions')
  .option('--topic-user-profiles <name>', 'user profiles topic', 'metarec.user-profiles')
  .option('--topic-item-profiles <name>', 'item profiles topic', 'metarec.item-profiles')
  .option('--count <n>', 'interactions to send', positiveInt, 100_000)
  .option('--rate <n|max>', 'interactions per second, or "max"', rate, Infinity)
  .option('--batch-size <n>', 'messages per send (default: rate/20, i.e. one send per 50 ms; 500 for max)', positiveInt)
  .option('--retry-for-ms <n>', 'retry a failed send (e.g. during a broker restart) this long before counting its batch failed', positiveInt, 60_000)
  .option('--malformed <fraction>', 'share of interactions sent malformed', fraction, 0)
  .option('--users <n>', 'synthetic users', positiveInt, 2_000)
  .option('--items <n>', 'synthetic items', positiveInt, 1_000)
  .option('--seed <n>', 'generator seed', positiveInt, 1)
  .option('--time <mode>', '"now" (timestamps at send time) or "original" (the generator\'s)', 'now')
  .option('--partitions <n>', 'partition count of topics created when missing (matches ingest TOPIC_PARTITIONS)', positiveInt, 6)
  .option('--no-create-topics', 'fail instead of creating missing topics')
  .option('--no-profiles', 'do not send the user and item profiles first');

program.parse();
const opts = program.opts<{
  brokers: string;
  topicInteractions: string;
  topicUserProfiles: string;
  topicItemProfiles: string;
  count: number;
  rate: number;
  batchSize?: number;
  retryForMs: number;
  malformed: number;
  users: number;
  items: number;
  seed: number;
  time: string;
  partitions: number;
  createTopics: boolean;
  profiles: boolean;
}>();
if (opts.time !== 'now' && opts.time !== 'original') {
  program.error('--time must be "now" or "original"');
}

const source = new EventSource({
  synthetic: { users: opts.users, items: opts.items, seed: opts.seed },
  malformedFraction: opts.malformed,
  time: opts.time as 'now' | 'original',
  seed: opts.seed,
});
const client = await createKafkaClient({
  kind: parseKafkaClientKind(process.env['KAFKA_CLIENT'] ?? DEFAULT_KAFKA_CLIENT_KIND),
  brokers: parseBrokerList(opts.brokers),
  clientId: 'metarec-loadgen',
});
if (opts.createTopics) {
  const admin = await client.createTopicAdmin();
  try {
    const topics = [opts.topicInteractions, opts.topicUserProfiles, opts.topicItemProfiles];
    await admin.ensureTopics(topics.map((topic) => ({ topic, partitions: opts.partitions })));
  } finally {
    await admin.close();
  }
}
const producer = await client.createProducer();
let sendErrors = 0;
const retrying = {
  retryForMs: opts.retryForMs,
  onSendError: (error: unknown, attempt: number): void => {
    sendErrors += 1;
    // One line per failed attempt would flood during a restart: the first and every 20th.
    if (attempt === 1 || sendErrors % 20 === 0) {
      console.error(JSON.stringify({ msg: 'send failed; retrying', attempt, sendErrors, error: error instanceof Error ? error.message : String(error) }));
    }
  },
};

/** Sends `messages` to `topic` as fast as acknowledged, with the run's retries. */
function sendAll(topic: string, messages: readonly OutgoingMessage[]): ReturnType<typeof pacedSend<OutgoingMessage>> {
  let offset = 0;
  return pacedSend<OutgoingMessage>({
    count: messages.length,
    ratePerSec: Infinity,
    next: (n) => messages.slice(offset, (offset += n)),
    send: async (batch) => {
      await producer.send(topic, batch);
    },
    ...retrying,
  });
}

try {
  let profileFailures = 0;
  if (opts.profiles) {
    const users: OutgoingMessage[] = source.users.map((u) => encodeRecord(UserProfileSchema, u));
    const items: OutgoingMessage[] = source.items.map((i) => encodeRecord(ItemProfileSchema, i));
    profileFailures += (await sendAll(opts.topicUserProfiles, users)).failed;
    profileFailures += (await sendAll(opts.topicItemProfiles, items)).failed;
  }
  let malformed = 0;
  const batchSize = opts.batchSize ?? (Number.isFinite(opts.rate) ? Math.max(1, Math.round(opts.rate / 20)) : 500);
  const report = await pacedSend<OutgoingMessage>({
    count: opts.count,
    ratePerSec: opts.rate,
    batchSize,
    next: (n) =>
      source.next(n).map((m) => {
        malformed += m.malformed === null ? 0 : 1;
        return { key: m.key, value: m.value, headers: m.headers };
      }),
    send: async (batch) => {
      await producer.send(opts.topicInteractions, batch);
    },
    ...retrying,
  });
  console.log(
    JSON.stringify({
      sent: report.sent,
      failed: report.failed,
      retries: report.retries,
      ...(report.lastError === undefined ? {} : { lastError: report.lastError }),
      malformed,
      profiles: opts.profiles ? { users: source.users.length, items: source.items.length } : null,
      elapsedMs: Math.round(report.elapsedMs),
      ratePerSec: Math.round(report.ratePerSec),
      ...(profileFailures > 0 ? { profilesFailed: profileFailures } : {}),
    }),
  );
  // The report is printed either way; a non-zero exit tells scripts some messages did not make it.
  if (report.failed > 0 || profileFailures > 0) {
    process.exitCode = 1;
  }
} finally {
  await producer.close();
}
