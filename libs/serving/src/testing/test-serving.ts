import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { ListHead, ModelConfig } from '@metarec/meta-learning';
import { createLogger, type Logger } from '@metarec/runtime';
import type { EventProducer } from '@metarec/streaming';
import { InMemoryKafka } from '@metarec/streaming/testing';
import { Registry } from 'prom-client';

import { loadServingModel, type ServingModel } from '../model/serving-model.js';
import { ServingService, type ServingServiceOptions } from '../service/serving-service.js';
import { InMemoryFeatureReader } from './in-memory-feature-reader.js';
import { buildTestWorld, writeTestModelDir, type TestWorld } from './test-world.js';

/** The feedback service token of {@link buildTestServing}'s services (principal `test`). */
export const TEST_FEEDBACK_TOKEN = 'test-feedback-token-0123456789';
/** `Authorization` header value with {@link TEST_FEEDBACK_TOKEN}. */
export const TEST_FEEDBACK_AUTHORIZATION = `Bearer ${TEST_FEEDBACK_TOKEN}`;
/** Session-token key of {@link buildTestServing}'s services. */
export const TEST_FEEDBACK_SIGNING_KEY = 'test-signing-key-0123456789abcdefghijklmnop';

/** A serving service over an in-memory store and Kafka, with a small model loaded. */
export interface TestServing {
  readonly world: TestWorld;
  readonly reader: InMemoryFeatureReader;
  readonly kafka: InMemoryKafka;
  readonly producer: EventProducer;
  readonly service: ServingService;
  readonly registry: Registry;
  readonly logger: Logger;
  /** Writes and loads another model of the same world (version `version`, other initial weights). */
  loadModel(version: number, config?: Partial<ModelConfig>): Promise<ServingModel>;
  /** Closes the service and removes the temporary directory. */
  close(): Promise<void>;
}

/** Options of {@link buildTestServing}. */
export interface TestServingOptions {
  readonly world?: TestWorld;
  /** Tuning passed to the service (clients are provided). */
  readonly service?: Omit<ServingServiceOptions, 'reader' | 'producer' | 'logger' | 'registry'>;
  readonly model?: Partial<ModelConfig>;
  /** A list head for the bundles written (see `testListHead`); none by default. */
  readonly listHead?: (world: TestWorld) => ListHead;
}

/** Builds the world (or takes one), an in-memory store of its events, and a service serving model v1. */
export async function buildTestServing(options: TestServingOptions = {}): Promise<TestServing> {
  const world = options.world ?? buildTestWorld();
  const dir = await mkdtemp(path.join(tmpdir(), 'metarec-serving-'));
  const reader = new InMemoryFeatureReader({ users: world.dataset.users, items: world.dataset.items, interactions: world.interactions });
  const kafka = new InMemoryKafka();
  const admin = await kafka.createTopicAdmin();
  await admin.ensureTopics([{ topic: options.service?.interactionsTopic ?? 'metarec.interactions', partitions: 3 }]);
  await admin.close();
  const producer = await kafka.createProducer();
  const registry = new Registry();
  const logger = createLogger({ name: 'serving-test', level: 'silent' });
  const service = new ServingService({
    ...options.service,
    feedback: { auth: { tokens: [`test:${TEST_FEEDBACK_TOKEN}`], signingKey: TEST_FEEDBACK_SIGNING_KEY }, ...options.service?.feedback },
    reader,
    producer,
    logger,
    registry,
  });
  const loadModel = async (version: number, config: Partial<ModelConfig> = {}): Promise<ServingModel> => {
    const modelDir = path.join(dir, `v${version}`);
    await writeTestModelDir(modelDir, world, { initSeed: version, ...options.model, ...config }, undefined, options.listHead?.(world));
    return loadServingModel(modelDir, version);
  };
  service.install(await loadModel(1));
  return {
    world,
    reader,
    kafka,
    producer,
    service,
    registry,
    logger,
    loadModel,
    close: async (): Promise<void> => {
      await service.close();
      await producer.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
