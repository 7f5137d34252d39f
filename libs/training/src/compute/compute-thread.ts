// Entry of a compute thread (worker_threads): runs the pure meta-step off the main event loop, so
// BullMQ's lock renewal keeps running while a long step computes. Each thread has its own tfjs and
// selects its backend itself (a backend chosen in the parent does not carry over to a thread).
import { parentPort, workerData } from 'node:worker_threads';

import { createMetaModel, metaStep, selectBackend, type MetaModel } from '@metarec/meta-learning';

import type { ComputeReady, ComputeRequest, ComputeResponse, ComputeThreadData } from './compute-messages.js';

const port = parentPort;
const models = new Map<string, MetaModel>();

function modelFor(request: ComputeRequest): MetaModel {
  const key = JSON.stringify([request.featureLayout, request.modelConfig]);
  let model = models.get(key);
  if (model === undefined) {
    model = createMetaModel(request.featureLayout, request.modelConfig);
    models.set(key, model);
  }
  return model;
}

function handle(request: ComputeRequest): ComputeResponse {
  const started = performance.now();
  try {
    const r = metaStep(modelFor(request), request.params, request.tasks, request.step);
    return { id: request.id, ok: true, gradient: r.gradient, taskCount: r.taskCount, loss: r.loss, computeMs: performance.now() - started };
  } catch (e) {
    const error = e instanceof Error ? e : new Error(String(e));
    const code = (error as { code?: unknown }).code;
    return { id: request.id, ok: false, message: error.message, name: error.name, ...(typeof code === 'string' ? { code } : {}) };
  }
}

async function start(): Promise<void> {
  if (port === null) {
    throw new Error('compute-thread must run in a worker thread');
  }
  const data = (workerData ?? {}) as ComputeThreadData;
  const selection = await selectBackend(data.backend === undefined ? {} : { preferred: data.backend });
  const ready: ComputeReady = { ready: true, backend: selection.name, reason: selection.reason };
  port.postMessage(ready);
  port.on('message', (request: ComputeRequest) => {
    const response = handle(request);
    port.postMessage(response, response.ok ? [response.gradient.buffer as ArrayBuffer] : []);
  });
}

await start();
