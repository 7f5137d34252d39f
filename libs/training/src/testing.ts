// Second entry point, `@metarec/training/testing`: fixtures for this lib's and the trainer app's tests.
export type { LocalRedis, LocalRedisOptions } from './testing/local-redis.js';
export { localRedisAvailable, localRedisForIntegrationTests, startLocalRedis } from './testing/local-redis.js';
