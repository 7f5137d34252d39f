import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';

import { exportBundle, loadBundle, type BundleSource } from '@metarec/registry';
import type { Logger } from '@metarec/runtime';

import { reasonOf, ServingError } from '../errors.js';
import type { ModelHolder } from './model-holder.js';
import { loadServingModel, type ServingModel } from './serving-model.js';

/** Calls `onChange(version)` each time the followed alias moves, until `signal` aborts. */
export type AliasFollower = (onChange: (version: number) => Promise<void>, signal: AbortSignal) => Promise<void>;

/** Options of {@link ModelUpdater}. */
export interface ModelUpdaterOptions {
  readonly holder: ModelHolder<ServingModel>;
  /** Where bundles come from: `RegistryClient` (HTTP) or `ModelRegistry` (in-process). */
  readonly source: BundleSource;
  /** Registry model name, e.g. `melu`. */
  readonly modelName: string;
  /** Scratch directory for downloaded bundles (each is removed once loaded into memory). */
  readonly cacheDir: string;
  /** Feature-schema fingerprints this build encodes; other bundles are refused before their weights are read. */
  readonly readableFingerprints: ReadonlySet<string>;
  readonly logger: Logger;
  /** Called after each successful swap (metrics, cache purge). @defaultValue none */
  readonly onSwap?: (model: ServingModel, previousVersion: number | null) => void;
  /** Called when a bundle is refused (metrics). @defaultValue none */
  readonly onRefused?: (error: ServingError) => void;
  /** Turns a verified bundle directory into a model. @defaultValue `loadServingModel` */
  readonly load?: (dir: string, version: number) => Promise<ServingModel>;
  /** Called when a pod serves an earlier version because the wanted one was refused (metrics). @defaultValue none */
  readonly onFallback?: (fallback: ModelFallback | null) => void;
}

/** A pod serving an earlier version than its alias names, because that bundle was refused. */
export interface ModelFallback {
  /** The version the alias names (refused). */
  readonly wanted: number;
  /** The version serving instead. */
  readonly serving: number;
  /** Why `wanted` was refused. */
  readonly reason: string;
}

/** Earlier versions a pod tries, newest first, when the alias's bundle is refused and nothing serves yet. @defaultValue 5 */
export const DEFAULT_MAX_FALLBACKS = 5;

/** Outcome of one load. */
export type LoadOutcome =
  | { readonly status: 'loaded'; readonly version: number; readonly previousVersion: number | null; readonly loadMs: number }
  | { readonly status: 'unchanged'; readonly version: number };

/**
 * Loads bundles beside the serving model and swaps them in. Each load resolves the ref to a
 * version, exports it (every file's sha256 checked on arrival), re-verifies it with the
 * registry's `loadBundle` (schema fingerprint, checksums), loads it with meta-learning's
 * checksummed loader, and only then swaps. Any failure leaves the serving model untouched and
 * is reported as `SERVING_BUNDLE_REFUSED`. Loads run one at a time, in call order.
 */
export class ModelUpdater {
  private chain: Promise<unknown> = Promise.resolve();
  private readonly load: (dir: string, version: number) => Promise<ServingModel>;
  private attempt = 0;
  private current: ModelFallback | null = null;

  constructor(private readonly options: ModelUpdaterOptions) {
    this.load = options.load ?? loadServingModel;
  }

  /**
   * Loads `ref` (an alias such as `production`, or a version number) unless it is already serving.
   * @throws ServingError `SERVING_BUNDLE_REFUSED` (the previous model keeps serving).
   */
  loadRef(ref: string): Promise<LoadOutcome> {
    const run = this.chain.then(() => this.loadNow(ref));
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** The fallback in effect (readiness details), or null when the serving version is the one asked for. */
  get fallback(): ModelFallback | null {
    return this.current;
  }

  /**
   * {@link loadRef}, and when nothing serves yet and `ref`'s bundle is refused (a corrupt version
   * behind the alias would otherwise keep a new pod unready forever), the newest earlier version
   * that verifies, at most `maxFallbacks` tried; {@link fallback} then says so until a later load
   * of the asked-for version succeeds. A pod that serves keeps its model instead (`loadRef`).
   * @throws ServingError `SERVING_BUNDLE_REFUSED` when neither `ref` nor any earlier version tried loads.
   */
  async loadWithFallback(ref: string, maxFallbacks = DEFAULT_MAX_FALLBACKS): Promise<LoadOutcome> {
    try {
      return await this.loadRef(ref);
    } catch (error) {
      if (this.options.holder.model !== null || !(error instanceof ServingError) || error.code !== 'SERVING_BUNDLE_REFUSED') {
        throw error;
      }
      const wanted = await this.options.source.resolveManifest(this.options.modelName, ref).then(
        (m) => m.version,
        () => null,
      );
      if (wanted === null) {
        throw error;
      }
      for (let version = wanted - 1; version >= Math.max(1, wanted - maxFallbacks); version--) {
        try {
          const outcome = await this.loadRef(String(version));
          this.setFallback({ wanted, serving: version, reason: error.message });
          this.options.logger.warn({ model: this.options.modelName, wanted, serving: version, reason: error.message }, 'the alias names a refused bundle: serving the newest earlier version that verifies');
          return outcome;
        } catch (earlier) {
          this.options.logger.warn({ model: this.options.modelName, version, code: (earlier as { code?: unknown }).code }, 'earlier version refused too');
        }
      }
      throw error;
    }
  }

  /**
   * Follows alias moves with `follow` (e.g. `RegistryClient.watchAlias`) until `signal` aborts.
   * A refused bundle is logged and skipped: the old model keeps serving until the next move.
   */
  async follow(follow: AliasFollower, signal: AbortSignal): Promise<void> {
    await follow(async (version) => {
      try {
        await this.loadRef(String(version));
      } catch (error) {
        // loadNow logged the error with its cause; one line here says what it means for the pod.
        this.options.logger.warn({ version, code: (error as { code?: unknown }).code }, 'alias moved to a bundle that was refused; still serving the previous model');
      }
    }, signal);
  }

  private async loadNow(ref: string): Promise<LoadOutcome> {
    const o = this.options;
    const started = performance.now();
    let version: number;
    try {
      version = (await o.source.resolveManifest(o.modelName, ref)).version;
    } catch (error) {
      throw new ServingError('SERVING_BUNDLE_REFUSED', `cannot resolve ${o.modelName}@${ref}: ${reasonOf(error)}`, { cause: error, field: 'ref' });
    }
    const current = o.holder.model;
    if (current !== null && current.version === version) {
      return { status: 'unchanged', version };
    }
    this.attempt += 1;
    const dir = path.join(o.cacheDir, `${o.modelName}-v${version}-${process.pid}-${this.attempt}`);
    await mkdir(o.cacheDir, { recursive: true });
    let model: ServingModel;
    try {
      await exportBundle({ source: o.source, model: o.modelName, ref: String(version), outDir: dir });
      await loadBundle({ dir, readableFingerprints: o.readableFingerprints });
      model = await this.load(dir, version);
    } catch (error) {
      const field = (error as { field?: unknown }).field;
      o.logger.error({ err: error, model: o.modelName, version }, 'bundle refused; the serving model is unchanged');
      const refused =
        error instanceof ServingError
          ? error
          : new ServingError('SERVING_BUNDLE_REFUSED', `${o.modelName} v${version} refused: ${reasonOf(error)}`, {
              cause: error,
              ...(typeof field === 'string' ? { field } : {}),
            });
      o.onRefused?.(refused);
      throw refused;
    } finally {
      // The weights are in memory now (or the bundle was refused): the files are not needed.
      await rm(dir, { recursive: true, force: true });
    }
    const previousVersion = o.holder.swap(model);
    this.setFallback(null);
    const loadMs = performance.now() - started;
    // trainedAdaptation: what request-time adaptation uses unless ADAPT_* override it.
    o.logger.info({ model: o.modelName, version, previousVersion, loadMs: Math.round(loadMs), trainedAdaptation: model.trainedAdaptation }, 'model swapped in');
    o.onSwap?.(model, previousVersion);
    return { status: 'loaded', version, previousVersion, loadMs };
  }

  private setFallback(fallback: ModelFallback | null): void {
    if (this.current !== fallback) {
      this.current = fallback;
      this.options.onFallback?.(fallback);
    }
  }
}
