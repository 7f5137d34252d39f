/** Options of {@link withoutMachinePaths}. */
export interface WithoutMachinePathsOptions {
  /** Absolute paths under this directory become relative to it (e.g. the repository root or the cwd). */
  readonly base?: string;
}

/**
 * An absolute POSIX path of two or more segments: not preceded by a word character, `.`, `:`, `/`
 * or `~` (so `1/2`, `./x`, `http://host/a` and `~/x` are not one) and made of usual file-name characters.
 */
const ABSOLUTE_PATH = /(?<![\w.:/~-])\/(?:[\w.@+-]+\/)+[\w.@+-]*/g;

/**
 * `text` with this machine's absolute paths taken out, for a report that is shared: a path under
 * `base` becomes relative to it (`/home/a/metarec/.data/x` → `.data/x`), any other keeps only its
 * last segment behind `…/` (`/tmp/metarec-x/ratings.csv` → `…/ratings.csv`).
 */
export function withoutMachinePaths(text: string, options: WithoutMachinePathsOptions = {}): string {
  const base = options.base === undefined ? undefined : options.base.replace(/\/+$/, '');
  return text.replace(ABSOLUTE_PATH, (found) => {
    if (base !== undefined && base !== '' && (found === base || found.startsWith(`${base}/`))) {
      return found === base ? '.' : found.slice(base.length + 1);
    }
    const segments = found.split('/').filter((s) => s !== '');
    return `…/${segments.at(-1) ?? ''}${found.endsWith('/') ? '/' : ''}`;
  });
}
