// Second entry point, `@metarec/training/testing`: a local Redis for the trainer app's tests, the pipeline and the benches.
export type { LocalRedis, LocalRedisOptions } from './testing/local-redis.js';
export { localRedisAvailable, localRedisForIntegrationTests, startLocalRedis } from './testing/local-redis.js';
