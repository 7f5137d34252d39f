/** Facts about one stored blob. */
export interface StoredArtifact {
  /** Lower-case hex sha256 of the bytes: the blob's address. */
  readonly sha256: string;
  readonly bytes: number;
}

/** What `ArtifactStore.check` found. */
export type ArtifactCheck = 'intact' | 'missing' | 'corrupt';

/** Options of `ArtifactStore.putStream`. */
export interface PutStreamOptions {
  /** The address the bytes must hash to. */
  readonly expectedSha256: string;
  /** Largest accepted blob, bytes; the stream is abandoned the moment it is exceeded. */
  readonly maxBytes: number;
}

/**
 * A content-addressed blob store: bytes are stored under their sha256, so a blob can never be
 * overwritten with different bytes, and identical files of many versions are stored once.
 * Implementations must verify the checksum on every read and throw `REG_ARTIFACT_CORRUPT`
 * rather than return bytes that do not match their address.
 */
export interface ArtifactStore {
  /**
   * Stores bytes. With `expectedSha256`, refuses (`REG_CHECKSUM_MISMATCH`) bytes that hash otherwise.
   * Idempotent: putting bytes already held is a no-op (a corrupt copy is replaced).
   */
  put(bytes: Uint8Array, expectedSha256?: string): Promise<StoredArtifact>;
  /**
   * Stores bytes as they arrive, hashing on the fly, so an upload is never held in memory whole.
   * The blob is published only once all bytes are in and hash to `expectedSha256`; on any failure
   * nothing is left behind.
   * @throws RegistryError `REG_PAYLOAD_TOO_LARGE` (field `body`) as soon as more than `maxBytes` arrive,
   *   `REG_CHECKSUM_MISMATCH` (field `sha256`) when the bytes hash otherwise.
   */
  putStream(source: AsyncIterable<Uint8Array>, options: PutStreamOptions): Promise<StoredArtifact>;
  /** The blob's size if held, `undefined` otherwise; does not read or verify the bytes. */
  stat(sha256: string): Promise<StoredArtifact | undefined>;
  /**
   * Reads and verifies a blob.
   * @throws RegistryError `REG_ARTIFACT_MISSING` when absent, `REG_ARTIFACT_CORRUPT` when the bytes do not hash to `sha256`.
   */
  get(sha256: string): Promise<Buffer>;
  /**
   * Re-hashes a held blob without returning it (streamed: it may be large): `intact`, `missing`
   * or `corrupt`. An alias move checks every file of its target this way first.
   */
  check(sha256: string): Promise<ArtifactCheck>;
  /** Whether the backing store answers (readiness probe). */
  ping(): Promise<void>;
}

/** The sha256 address format. */
export const SHA256_HEX = /^[0-9a-f]{64}$/;
