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
/**
 * magic u32, kind u8, encoding u8, block size u16 (floats; 0 when dense), taskCount u32, length
 * u32 (floats), loss f64, sha256 of the stored payload (32 bytes).
 */
const HEADER_BYTES = 56;
const KIND_CODE: Record<BlobKind, number> = { params: 1, gradient: 2 };
/** Payload layouts: every float, or only the blocks that are not all zero. */
const DENSE = 0;
const ZERO_BLOCKS_ELIDED = 1;
/**
 * Floats per block of the elided layout. A meta-gradient is zero on every embedding row no task
 * of the shard looked up (~73% of a MeLU-size gradient for a 16-task shard); 32 floats is one row
 * at the usual embedding width and costs one bitmap bit per 128 bytes.
 */
export const ZERO_BLOCK_FLOATS = 32;
/** Elide only when at least this fraction of blocks is zero (else the dense layout is as small and cheaper). */
const ELIDE_MIN_ZERO_FRACTION = 0.125;

function digest(payload: Uint8Array): Buffer {
  return createHash('sha256').update(payload).digest();
}

/** Indices of blocks with a non-zero bit pattern (-0 and NaN count as non-zero: the layout is lossless). */
function nonZeroBlocks(values: Float32Array): number[] {
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  const blocks: number[] = [];
  for (let start = 0, b = 0; start < bits.length; start += ZERO_BLOCK_FLOATS, b++) {
    const end = Math.min(bits.length, start + ZERO_BLOCK_FLOATS);
    for (let i = start; i < end; i++) {
      if (bits[i] !== 0) {
        blocks.push(b);
        break;
      }
    }
  }
  return blocks;
}

function header(out: Buffer, blob: DecodedBlob, encoding: number, payload: Uint8Array): void {
  out.writeUInt32LE(MAGIC, 0);
  out.writeUInt8(KIND_CODE[blob.kind], 4);
  out.writeUInt8(encoding, 5);
  out.writeUInt16LE(encoding === DENSE ? 0 : ZERO_BLOCK_FLOATS, 6);
  out.writeUInt32LE(blob.taskCount, 8);
  out.writeUInt32LE(blob.values.length, 12);
  out.writeDoubleLE(blob.loss, 16);
  digest(payload).copy(out, 24);
}

/**
 * Encodes float32 values (little-endian) behind a 56-byte header with a sha256 of the payload, so
 * a truncated or foreign value under a key is detected rather than trained on. When enough
 * {@link ZERO_BLOCK_FLOATS}-float blocks are all zero (a gradient's untouched embedding rows),
 * only a bitmap of the non-zero blocks and those blocks are stored: bit-exact, and a MeLU-size
 * shard gradient shrinks from 1.1 MB to ~0.3 MB (less to hash, send and read).
 */
export function encodeBlob(blob: DecodedBlob): Buffer {
  const values = blob.values;
  const raw = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  const blockCount = Math.ceil(values.length / ZERO_BLOCK_FLOATS);
  const kept = nonZeroBlocks(values);
  if (blockCount === 0 || blockCount - kept.length < blockCount * ELIDE_MIN_ZERO_FRACTION) {
    const out = Buffer.allocUnsafe(HEADER_BYTES + raw.byteLength);
    out.set(raw, HEADER_BYTES);
    header(out, blob, DENSE, out.subarray(HEADER_BYTES));
    return out;
  }
  const bitmapBytes = Math.ceil(blockCount / 8);
  const blockBytes = ZERO_BLOCK_FLOATS * 4;
  // The last block may be short; it is stored as long as it is.
  const lastBytes = values.byteLength - (blockCount - 1) * blockBytes;
  const keptBytes = kept.reduce((n, b) => n + (b === blockCount - 1 ? lastBytes : blockBytes), 0);
  const out = Buffer.alloc(HEADER_BYTES + bitmapBytes + keptBytes);
  let at = HEADER_BYTES + bitmapBytes;
  for (const b of kept) {
    out[HEADER_BYTES + (b >> 3)] |= 1 << (b & 7);
    const from = b * blockBytes;
    const to = Math.min(raw.byteLength, from + blockBytes);
    out.set(raw.subarray(from, to), at);
    at += to - from;
  }
  header(out, blob, ZERO_BLOCKS_ELIDED, out.subarray(HEADER_BYTES));
  return out;
}

/**
 * Decodes and verifies a blob of the expected kind (either payload layout).
 * @throws TrainingError `TRAIN_BLOB_CORRUPT` (magic, kind, layout, length or checksum wrong).
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
  const encoding = bytes.readUInt8(5);
  const length = bytes.readUInt32LE(12);
  const payload = bytes.subarray(HEADER_BYTES);
  if (encoding === DENSE && payload.length !== length * 4) {
    corrupt(`${bytes.length} bytes for ${length} floats`);
  }
  if (!digest(payload).equals(bytes.subarray(24, HEADER_BYTES))) {
    corrupt('checksum mismatch');
  }
  // A fresh, aligned array: a Buffer from ioredis may not be 4-byte aligned for a Float32Array view.
  const values = new Float32Array(length);
  const out = new Uint8Array(values.buffer);
  if (encoding === DENSE) {
    out.set(payload);
  } else if (encoding === ZERO_BLOCKS_ELIDED && bytes.readUInt16LE(6) === ZERO_BLOCK_FLOATS) {
    const blockCount = Math.ceil(length / ZERO_BLOCK_FLOATS);
    const bitmapBytes = Math.ceil(blockCount / 8);
    const blockBytes = ZERO_BLOCK_FLOATS * 4;
    let at = bitmapBytes;
    for (let b = 0; b < blockCount; b++) {
      if ((payload[b >> 3] & (1 << (b & 7))) === 0) {
        continue;
      }
      const from = b * blockBytes;
      const n = Math.min(out.byteLength, from + blockBytes) - from;
      if (at + n > payload.length) {
        corrupt(`payload ends inside block ${b}`);
      }
      out.set(payload.subarray(at, at + n), from);
      at += n;
    }
    if (at !== payload.length || payload.length < bitmapBytes) {
      corrupt(`${payload.length} payload bytes do not match the block bitmap`);
    }
  } else {
    corrupt(`unknown payload layout ${encoding}/${bytes.readUInt16LE(6)}`);
  }
  return { kind: expected, values, taskCount: bytes.readUInt32LE(8), loss: bytes.readDoubleLE(16) };
}
