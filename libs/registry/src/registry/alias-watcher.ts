import type { Logger } from '@metarec/runtime';
import type { Client, Notification } from 'pg';

import { RegistryError } from '../errors.js';

/** A subscription to one alias's moves. */
export interface AliasSubscription {
  /** Resolves on the next move (or one that arrived since the last call), after `timeoutMs`, or on abort. */
  next(timeoutMs: number, signal?: AbortSignal): Promise<void>;
  /** Stops listening; safe to call twice. */
  close(): void;
}

/** What `AliasManager` needs: a way to be woken when an alias moves, on any replica. */
export interface AliasChangeWaiter {
  subscribe(model: string, alias: string): AliasSubscription;
  /**
   * Calls `listener` for every move, and with `null` when notifications stop (connection lost,
   * closed), after which moves may go unseen. Returns a function that removes the listener.
   */
  onAnyChange(listener: (change: { readonly model: string; readonly alias: string } | null) => void): () => void;
  /** True while notifications are being received: only then may resolved aliases be cached. */
  readonly listening: boolean;
}

/** Options of `AliasWatcher`. */
export interface AliasWatcherOptions {
  /**
   * A connected pg client used only for LISTEN (a pooled connection would be handed to other
   * queries and lose the subscription). Created and closed by the app, never by the watcher.
   */
  readonly client: Client;
  /** Channel `AliasManager` NOTIFYs on. @defaultValue `'metarec_registry_alias'` */
  readonly channel?: string;
  /** @defaultValue none */
  readonly logger?: Logger;
}

/** Defaults laid under `AliasWatcherOptions`. */
export const DEFAULT_ALIAS_WATCHER_OPTIONS = { channel: 'metarec_registry_alias' } as const;

/** LISTEN takes an identifier, not a parameter, so the channel name is checked before use. */
const CHANNEL_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

interface Subscriber {
  pending: boolean;
  wake: (() => void) | undefined;
}

/**
 * Wakes long-polling requests when an alias moves, from PostgreSQL LISTEN/NOTIFY: the move's
 * transaction NOTIFYs on commit, every registry replica LISTENing hears it, so a serving pod's
 * long-poll returns within milliseconds of a promotion on any replica. No Redis is needed.
 */
export class AliasWatcher implements AliasChangeWaiter {
  private readonly client: Client;
  private readonly channel: string;
  private readonly logger: Logger | undefined;
  private readonly subscribers = new Map<string, Set<Subscriber>>();
  private readonly onNotification = (message: Notification): void => this.dispatch(message);
  private readonly listeners = new Set<(change: { readonly model: string; readonly alias: string } | null) => void>();
  private readonly onConnectionLost = (): void => this.lost();
  private started = false;
  private closing: Promise<void> | undefined;

  /** @throws RegistryError (`REG_OPTIONS_INVALID`) on an invalid channel name. */
  constructor(options: AliasWatcherOptions) {
    const merged = { ...DEFAULT_ALIAS_WATCHER_OPTIONS, ...options };
    if (!CHANNEL_NAME.test(merged.channel)) {
      throw new RegistryError('REG_OPTIONS_INVALID', `invalid NOTIFY channel "${merged.channel}"`, { field: 'channel' });
    }
    this.client = merged.client;
    this.channel = merged.channel;
    this.logger = merged.logger;
  }

  /** Starts listening. */
  async start(): Promise<void> {
    if (this.started) {
      return;
    }
    this.client.on('notification', this.onNotification);
    this.client.on('error', this.onConnectionLost);
    this.client.on('end', this.onConnectionLost);
    await this.client.query(`LISTEN ${this.channel}`);
    this.started = true;
  }

  get listening(): boolean {
    return this.started;
  }

  onAnyChange(listener: (change: { readonly model: string; readonly alias: string } | null) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  subscribe(model: string, alias: string): AliasSubscription {
    const key = `${model}\u0000${alias}`;
    const subscriber: Subscriber = { pending: false, wake: undefined };
    const set = this.subscribers.get(key) ?? new Set<Subscriber>();
    set.add(subscriber);
    this.subscribers.set(key, set);
    return {
      next: (timeoutMs, signal) => this.next(subscriber, timeoutMs, signal),
      close: () => {
        set.delete(subscriber);
        if (set.size === 0) {
          this.subscribers.delete(key);
        }
        subscriber.wake?.();
      },
    };
  }

  /** Open long-poll subscriptions (for metrics and tests). */
  get subscriberCount(): number {
    let count = 0;
    for (const set of this.subscribers.values()) {
      count += set.size;
    }
    return count;
  }

  /** Stops listening and wakes every waiter; leaves the client open for its owner. Safe to call twice. */
  close(): Promise<void> {
    this.closing ??= this.stop();
    return this.closing;
  }

  private lost(): void {
    if (!this.started) {
      return;
    }
    this.started = false;
    this.logger?.error({ channel: this.channel }, 'alias LISTEN connection lost: long-polls fall back to polling, alias cache off');
    for (const listener of this.listeners) {
      listener(null);
    }
  }

  private async stop(): Promise<void> {
    this.client.off('notification', this.onNotification);
    this.client.off('error', this.onConnectionLost);
    this.client.off('end', this.onConnectionLost);
    const wasListening = this.started;
    for (const set of this.subscribers.values()) {
      // Wake waiters so they re-read now; with no more notifications they fall back to polling.
      for (const subscriber of set) {
        subscriber.wake?.();
      }
    }
    if (wasListening) {
      this.started = false;
      for (const listener of this.listeners) {
        listener(null);
      }
      await this.client.query(`UNLISTEN ${this.channel}`);
    }
  }

  private next(subscriber: Subscriber, timeoutMs: number, signal: AbortSignal | undefined): Promise<void> {
    if (subscriber.pending || signal?.aborted === true) {
      subscriber.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        subscriber.wake = undefined;
        subscriber.pending = false;
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      signal?.addEventListener('abort', done, { once: true });
      subscriber.wake = done;
    });
  }

  private dispatch(message: Notification): void {
    if (message.channel !== this.channel || message.payload === undefined) {
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(message.payload);
    } catch (error) {
      this.logger?.warn({ err: error, payload: message.payload }, 'ignoring a malformed alias notification');
      return;
    }
    if (typeof parsed !== 'object' || parsed === null || !('model' in parsed) || !('alias' in parsed)) {
      this.logger?.warn({ payload: message.payload }, 'ignoring an alias notification without model/alias');
      return;
    }
    const change = { model: String(parsed.model), alias: String(parsed.alias) };
    for (const listener of this.listeners) {
      listener(change);
    }
    const set = this.subscribers.get(`${change.model}\u0000${change.alias}`);
    for (const subscriber of set ?? []) {
      subscriber.pending = true;
      subscriber.wake?.();
    }
  }
}
