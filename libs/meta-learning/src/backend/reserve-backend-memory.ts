import * as tf from '@tensorflow/tfjs';

/** What {@link reserveBackendMemory} did. */
export interface BackendReservation {
  /** The backend the reservation applies to. */
  readonly backend: string;
  /** Tensor heap size after the call, bytes (0 when the backend has no single growable heap). */
  readonly heapBytes: number;
  /** How much this call grew the heap, bytes. */
  readonly grewBytes: number;
}

/** The parts of tfjs-backend-wasm's Emscripten module used here (it keeps the module on `wasm`). */
interface WasmModule {
  readonly HEAPU8: Uint8Array;
  _malloc(bytes: number): number;
  _free(pointer: number): void;
}

function wasmModule(): WasmModule | null {
  const backend = tf.backend() as unknown as { wasm?: Partial<WasmModule> };
  const m = backend.wasm;
  return m?.HEAPU8 !== undefined && typeof m._malloc === 'function' && typeof m._free === 'function' ? (m as WasmModule) : null;
}

/**
 * Grows the wasm backend's tensor heap so that `bytes` of tensors beyond the live ones fit without
 * growing it again: allocates one block of that size and frees it (wasm memory never shrinks; the allocator reuses
 * the freed space). Why: every growth of wasm memory counts as V8 external memory, and V8 answers
 * enough of it with a full mark-compact on the main thread; a server that fills a per-user cache of
 * adapted tensors under load would otherwise pay ~30 ms of GC every ~100 new users, in requests.
 * Idempotent (only grows); a no-op on backends without one growable heap (cpu, tensorflow), which
 * report `heapBytes: 0`.
 * @throws RangeError when `bytes` is not a non-negative safe integer, or the heap cannot grow that far.
 */
export function reserveBackendMemory(bytes: number): BackendReservation {
  if (!Number.isSafeInteger(bytes) || bytes < 0) {
    throw new RangeError(`reserveBackendMemory: bytes must be a non-negative safe integer, got ${bytes}`);
  }
  const name = tf.getBackend();
  const wasm = name === 'wasm' ? wasmModule() : null;
  if (wasm === null) {
    return { backend: name, heapBytes: 0, grewBytes: 0 };
  }
  const startBytes = wasm.HEAPU8.byteLength;
  // Room for `bytes` beside what live tensors hold now. malloc + free, not a tensor: the block is
  // never written, so the pages stay uncommitted (resident memory grows only as tensors use them).
  if (bytes > 0 && startBytes < tf.memory().numBytes + bytes) {
    const pointer = wasm._malloc(bytes);
    if (pointer === 0) {
      throw new RangeError(`reserveBackendMemory: the wasm heap cannot grow by ${bytes} bytes`);
    }
    wasm._free(pointer);
  }
  const heapBytes = wasm.HEAPU8.byteLength;
  return { backend: name, heapBytes, grewBytes: heapBytes - startBytes };
}
