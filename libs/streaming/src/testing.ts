// Second entry point, `@metarec/streaming/testing`: an in-memory stand-in for unit tests.
export { InMemoryKafka } from './testing/in-memory-kafka.js';
export { kafkaClientKindsUnderTest } from './testing/kafka-clients-under-test.js';
