import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (benches start apps from their sources relative to it). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
