#!/usr/bin/env node
// metarec-loadgen: synthetic events to Kafka at a rate (or as fast as possible), with a share of malformed ones.
import { encodeRecord, ItemProfileSchema, UserProfileSchema } from '@metarec/schemas';
import { KafkaJsClient, parseBrokerList, type OutgoingMessage } from '@metarec/streaming';
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
const client = new KafkaJsClient({ brokers: parseBrokerList(opts.brokers), clientId: 'metarec-loadgen' });
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
try {
  if (opts.profiles) {
    const users: OutgoingMessage[] = source.users.map((u) => encodeRecord(UserProfileSchema, u));
    const items: OutgoingMessage[] = source.items.map((i) => encodeRecord(ItemProfileSchema, i));
    await producer.send(opts.topicUserProfiles, users);
    await producer.send(opts.topicItemProfiles, items);
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
  });
  console.log(
    JSON.stringify({
      sent: report.sent,
      malformed,
      profiles: opts.profiles ? { users: source.users.length, items: source.items.length } : null,
      elapsedMs: Math.round(report.elapsedMs),
      ratePerSec: Math.round(report.ratePerSec),
    }),
  );
} finally {
  await producer.close();
}
