import { createHash } from 'node:crypto';

import { TrainingError } from '../errors.js';

/** What a blob holds: flat parameters (published per step) or one shard's mean gradient. */
export type BlobKind = 'params' | 'gradient';

/** A decoded blob. `taskCount` and `loss` are 0 for parameters. */
export interface DecodedBlob {
  readonly kind: BlobKind;
  readonly values: Float32Array;
  readonly taskCount: number;
  readonly loss: number;
}

const MAGIC = 0x3142524d; // 'MRB1' little-endian
/** magic u32, kind u8 + 3 pad, taskCount u32, length u32, loss f64, sha256 of the payload (32 bytes). */
const HEADER_BYTES = 56;
const KIND_CODE: Record<BlobKind, number> = { params: 1, gradient: 2 };

function digest(payload: Uint8Array): Buffer {
  return createHash('sha256').update(payload).digest();
}

/**
 * Encodes float32 values (little-endian) behind a 56-byte header with a sha256 of the payload, so
 * a truncated or foreign value under a key is detected rather than trained on.
 */
export function encodeBlob(blob: DecodedBlob): Buffer {
  const payload = new Uint8Array(blob.values.buffer, blob.values.byteOffset, blob.values.byteLength);
  const out = Buffer.alloc(HEADER_BYTES + payload.byteLength);
  out.writeUInt32LE(MAGIC, 0);
  out.writeUInt8(KIND_CODE[blob.kind], 4);
  out.writeUInt32LE(blob.taskCount, 8);
  out.writeUInt32LE(blob.values.length, 12);
  out.writeDoubleLE(blob.loss, 16);
  digest(payload).copy(out, 24);
  out.set(payload, HEADER_BYTES);
  return out;
}

/**
 * Decodes and verifies a blob of the expected kind.
 * @throws TrainingError `TRAIN_BLOB_CORRUPT` (magic, kind, length or checksum wrong).
 */
export function decodeBlob(bytes: Buffer, expected: BlobKind, key: string): DecodedBlob {
  const corrupt = (why: string): never => {
    throw new TrainingError('TRAIN_BLOB_CORRUPT', `blob ${key}: ${why}`, { key });
  };
  if (bytes.length < HEADER_BYTES || bytes.readUInt32LE(0) !== MAGIC) {
    corrupt('not a metarec blob');
  }
  if (bytes.readUInt8(4) !== KIND_CODE[expected]) {
    corrupt(`expected a ${expected} blob`);
  }
  const length = bytes.readUInt32LE(12);
  if (bytes.length !== HEADER_BYTES + length * 4) {
    corrupt(`${bytes.length} bytes for ${length} floats`);
  }
  // Copy: a Buffer from ioredis may not be 4-byte aligned for a Float32Array view.
  const payload = new Uint8Array(bytes.subarray(HEADER_BYTES));
  if (!digest(payload).equals(bytes.subarray(24, HEADER_BYTES))) {
    corrupt('checksum mismatch');
  }
  return { kind: expected, values: new Float32Array(payload.buffer, 0, length), taskCount: bytes.readUInt32LE(8), loss: bytes.readDoubleLE(16) };
}
