// Second entry point, `@metarec/streaming/testing`: an in-memory stand-in for unit tests.
export { InMemoryKafka } from './testing/in-memory-kafka.js';
export type { InMemoryLog } from './testing/in-memory-log.js';
export { partitionForKey } from './testing/in-memory-log.js';
