import { invalidOption } from '../errors.js';

/** Broker address `host:port` (IPv6 in brackets). */
const BROKER_PATTERN = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;
const MAX_PORT = 65_535;

/** Throws `STREAM_OPTIONS_INVALID` unless every broker is `host:port` and there is at least one. */
export function validateBrokers(brokers: readonly string[]): void {
  if (!Array.isArray(brokers) || brokers.length === 0) {
    throw invalidOption('brokers', 'expected at least one host:port');
  }
  for (const broker of brokers) {
    const match = BROKER_PATTERN.exec(broker);
    const port = Number(match?.[2]);
    if (match === null || port < 1 || port > MAX_PORT) {
      throw invalidOption('brokers', `"${broker}" is not host:port`);
    }
  }
}

/** Parses `KAFKA_BROKERS`-style text (`a:9092, b:9092`) into a broker list. */
export function parseBrokerList(text: string): string[] {
  const brokers = text.split(',').map((broker) => broker.trim()).filter((broker) => broker.length > 0);
  validateBrokers(brokers);
  return brokers;
}
