// Second entry point, `@metarec/registry/testing`: builders and a private database schema for tests.
export type { TestBundle, TestBundleOptions } from './testing/bundle-builders.js';
export {
  buildTestBundleFiles,
  MELU_SIZE_PARAMS,
  TEST_EVALUATION_SET_ID,
  TEST_SCHEMA_FINGERPRINT,
  TEST_TUNING,
  writeTestBundle,
} from './testing/bundle-builders.js';
export type { TestDatabase } from './testing/test-database.js';
export { createTestDatabase } from './testing/test-database.js';
