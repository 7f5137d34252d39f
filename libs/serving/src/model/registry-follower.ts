import type { RegistryClient } from '@metarec/registry';
import type { Logger } from '@metarec/runtime';

import type { AliasFollower } from './model-updater.js';

/** Options of {@link registryAliasFollower}. */
export interface RegistryAliasFollowerOptions {
  readonly client: Pick<RegistryClient, 'watchAlias'>;
  readonly modelName: string;
  /** @defaultValue `'production'` */
  readonly alias?: string;
  readonly logger: Logger;
  /** Long-poll length, ms. @defaultValue 25_000 */
  readonly longPollMs?: number;
  /** Polling interval while long-polls fail, ms. @defaultValue 5_000 */
  readonly pollIntervalMs?: number;
}

/**
 * An `AliasFollower` over `RegistryClient.watchAlias` (long-poll, polling fallback). Registry
 * errors are logged at warn: the pod keeps serving its model while the registry is away.
 */
export function registryAliasFollower(options: RegistryAliasFollowerOptions): AliasFollower {
  return (onChange, signal) =>
    options.client.watchAlias(options.modelName, options.alias ?? 'production', {
      signal,
      onChange: (alias) => onChange(alias.version),
      onError: (error) => options.logger.warn({ err: error }, 'registry watch failed; serving the loaded model, retrying'),
      ...(options.longPollMs === undefined ? {} : { longPollMs: options.longPollMs }),
      ...(options.pollIntervalMs === undefined ? {} : { pollIntervalMs: options.pollIntervalMs }),
    });
}
