import { describe, expect, it } from 'vitest';

import { assertSmallJson, MAX_JOB_JSON_BYTES, parsePayload, shardJobSchema } from './job-contracts.js';

const valid = { v: 1, runId: 'r', step: 0, shard: 0, taskIndices: [1, 2], paramsKey: 'k', paramsVersion: 0, dataVersion: 'sha256:x' };

describe('job contracts', () => {
  it('accepts a small valid shard payload', () => {
    expect(parsePayload(shardJobSchema, valid, 'shard job data')).toEqual(valid);
  });

  it('rejects payloads over the 64 KB cap before parsing them (a tensor in job data)', () => {
    const params = Array.from({ length: 20_000 }, () => 0.123456);
    expect(() => parsePayload(shardJobSchema, { ...valid, params }, 'shard job data')).toThrow(expect.objectContaining({ code: 'TRAIN_PAYLOAD_TOO_LARGE' }));
    expect(() => assertSmallJson('x'.repeat(MAX_JOB_JSON_BYTES), 'result')).toThrow(/cap 65536/);
  });

  it('names the invalid field', () => {
    expect(() => parsePayload(shardJobSchema, { ...valid, taskIndices: [] }, 'shard job data')).toThrow(/shard job data\.taskIndices/);
    expect(() => parsePayload(shardJobSchema, { ...valid, v: 2 }, 'shard job data')).toThrow(expect.objectContaining({ code: 'TRAIN_PAYLOAD_INVALID' }));
  });
});
