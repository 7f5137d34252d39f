import { parseVersionRef } from '../names/validate-name.js';
import type { AliasManager } from '../registry/alias-manager.js';
import type { ModelRegistry } from '../registry/model-registry.js';
import type { BundleSource } from './bundle-source.js';

/** A `BundleSource` reading straight from the registry's database and store (server side, tools). */
export function localBundleSource(registry: ModelRegistry, aliases: AliasManager): BundleSource {
  return {
    async resolveManifest(model, ref) {
      const parsed = parseVersionRef(ref);
      const version = parsed.kind === 'version' ? parsed.version : (await aliases.resolve(model, parsed.alias)).version;
      return { version, manifest: (await registry.getManifest(model, version)).manifest };
    },
    readBlob: (sha256) => registry.readBlob(sha256),
  };
}
