import { createHash } from 'node:crypto';
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { DatasetError } from '../errors.js';
import { malformedLine, readTextLines } from './text-file.js';

/** Name of the checksum file verified when present (`sha256sum` output format). */
export const CHECKSUM_FILE = 'SHA256SUMS';

/** `verified`: every listed file matched; `absent`: the directory has no checksum file. */
export type ChecksumStatus = 'verified' | 'absent';

/**
 * Verifies every file listed in `dir/SHA256SUMS` (lines `<64 hex>  <name>` or `<hex> *<name>`).
 * @throws DatasetError `DS_CHECKSUM_MISMATCH` naming the first file whose digest differs,
 *   `DS_FILE_MISSING` for a listed file that is absent, `DS_MALFORMED_LINE` for a bad line.
 */
export async function verifySha256Sums(dir: string): Promise<ChecksumStatus> {
  const sumsPath = join(dir, CHECKSUM_FILE);
  if (!(await exists(sumsPath))) {
    return 'absent';
  }
  const sums = await readTextLines(dir, CHECKSUM_FILE);
  for (let k = 0; k < sums.lines.length; k++) {
    const match = /^([0-9a-fA-F]{64}) [ *](.+)$/.exec(sums.lines[k]);
    if (match === null) {
      throw malformedLine(sums, k, 'expected "<sha256 hex>  <file name>"');
    }
    const [, expected, name] = match;
    const file = join(dir, name);
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (cause) {
      throw new DatasetError('DS_FILE_MISSING', `${file} is listed in ${sumsPath} but cannot be read`, { cause, file });
    }
    const actual = createHash('sha256').update(bytes).digest('hex');
    if (actual !== expected.toLowerCase()) {
      throw new DatasetError('DS_CHECKSUM_MISMATCH', `${file}: SHA-256 ${actual} does not match ${expected} in ${sumsPath}`, { file });
    }
  }
  return 'verified';
}

/** True when `path` exists; other failures (permissions) are rethrown, not taken for absence. */
export async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') {
      return false;
    }
    throw new DatasetError('DS_FILE_MISSING', `cannot access ${path}: ${(cause as Error).message}`, { cause, file: path });
  }
}
