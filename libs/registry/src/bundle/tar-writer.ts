import { RegistryError } from '../errors.js';

/** One regular file of a tar archive. */
export interface TarEntry {
  /** Relative POSIX path (already validated by the caller). */
  readonly path: string;
  readonly bytes: Uint8Array;
}

const BLOCK = 512;
const NAME_LENGTH = 100;
const PREFIX_LENGTH = 155;
/** Fixed mtime (2000-01-01) so equal bundles give byte-identical, hash-comparable tarballs. */
const FIXED_MTIME_SEC = 946_684_800;

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

function splitPath(path: string): { name: string; prefix: string } {
  if (Buffer.byteLength(path) <= NAME_LENGTH) {
    return { name: path, prefix: '' };
  }
  // ustar stores long paths as prefix + "/" + name, split at a slash.
  for (let cut = path.indexOf('/'); cut !== -1; cut = path.indexOf('/', cut + 1)) {
    const prefix = path.slice(0, cut);
    const name = path.slice(cut + 1);
    if (Buffer.byteLength(prefix) <= PREFIX_LENGTH && Buffer.byteLength(name) <= NAME_LENGTH) {
      return { name, prefix };
    }
  }
  throw new RegistryError('REG_INVALID_NAME', `path "${path}" is too long for a ustar archive`, { field: 'path' });
}

function header(entry: TarEntry): Buffer {
  const block = Buffer.alloc(BLOCK, 0);
  const { name, prefix } = splitPath(entry.path);
  block.write(name, 0, NAME_LENGTH, 'utf8');
  block.write(octal(0o644, 8), 100, 'ascii');
  block.write(octal(0, 8), 108, 'ascii');
  block.write(octal(0, 8), 116, 'ascii');
  block.write(octal(entry.bytes.length, 12), 124, 'ascii');
  block.write(octal(FIXED_MTIME_SEC, 12), 136, 'ascii');
  block.write('        ', 148, 'ascii'); // checksum field counts as spaces while summing
  block.write('0', 156, 'ascii');
  block.write('ustar\0', 257, 'ascii');
  block.write('00', 263, 'ascii');
  block.write(prefix, 345, PREFIX_LENGTH, 'utf8');
  let sum = 0;
  for (const byte of block) {
    sum += byte;
  }
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return block;
}

/**
 * Writes a POSIX ustar archive of regular files (readable by GNU tar, bsdtar, and any tar
 * library), deterministic: fixed mtime, uid/gid 0, mode 644, entries in the given order.
 */
export function writeTar(entries: readonly TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    parts.push(header(entry), Buffer.from(entry.bytes));
    const padding = (BLOCK - (entry.bytes.length % BLOCK)) % BLOCK;
    if (padding > 0) {
      parts.push(Buffer.alloc(padding, 0));
    }
  }
  parts.push(Buffer.alloc(BLOCK * 2, 0));
  return Buffer.concat(parts);
}
