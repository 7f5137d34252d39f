import { pack } from 'tar-stream';

/** One regular file of a tar archive. */
export interface TarEntry {
  /** Relative POSIX path (already validated by the caller). */
  readonly path: string;
  readonly bytes: Uint8Array;
}

/** Fixed mtime (2000-01-01) so equal bundles give byte-identical, hash-comparable tarballs. */
const FIXED_MTIME = new Date(946_684_800_000);
const FILE_MODE = 0o644;

/**
 * Writes a POSIX ustar archive of regular files with `tar-stream` (readable by GNU tar, bsdtar
 * and any tar library; a path that does not fit ustar's name + prefix fields gets a pax header),
 * deterministic: fixed mtime, uid/gid 0, no user or group names, mode 644, entries in the given
 * order.
 */
export async function writeTar(entries: readonly TarEntry[]): Promise<Buffer> {
  const archive = pack();
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    archive.on('data', (chunk: unknown) => chunks.push(chunk as Buffer));
    archive.on('end', () => resolve(Buffer.concat(chunks)));
    archive.on('error', reject);
  });
  for (const entry of entries) {
    // pack() queues entries and writes them in order; finalize() waits for the queued ones.
    archive.entry({ name: entry.path, type: 'file', mode: FILE_MODE, uid: 0, gid: 0, mtime: FIXED_MTIME }, Buffer.from(entry.bytes), (error) => {
      if (error) {
        archive.destroy(error);
      }
    });
  }
  archive.finalize();
  return done;
}
