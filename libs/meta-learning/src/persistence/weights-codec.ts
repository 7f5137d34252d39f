import { endianness } from 'node:os';

const LITTLE_ENDIAN_HOST = endianness() === 'LE';

/** `params` as little-endian float32 bytes (a zero-copy view on little-endian hosts). */
export function encodeWeights(params: Float32Array): Uint8Array {
  if (LITTLE_ENDIAN_HOST) {
    return new Uint8Array(params.buffer, params.byteOffset, params.byteLength);
  }
  const out = new Uint8Array(params.byteLength);
  const view = new DataView(out.buffer);
  params.forEach((v, k) => view.setFloat32(k * 4, v, true));
  return out;
}

/** Little-endian float32 bytes as a new, aligned `Float32Array` (`bytes.length` must be a multiple of 4). */
export function decodeWeights(bytes: Uint8Array): Float32Array {
  const out = new Float32Array(bytes.length / 4);
  if (LITTLE_ENDIAN_HOST) {
    // copy: a Buffer from fs may sit at an offset that is not 4-byte aligned.
    new Uint8Array(out.buffer).set(bytes);
    return out;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let k = 0; k < out.length; k++) {
    out[k] = view.getFloat32(k * 4, true);
  }
  return out;
}
