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

/** A move heard on the channel, or `null` when notifications stopped (moves may go unseen). */
export type AliasChange = { readonly model: string; readonly alias: string } | null;

/** What `AliasManager` needs: a way to be woken when an alias moves, on any replica. */
export interface AliasChangeWaiter {
  subscribe(model: string, alias: string): AliasSubscription;
  /**
   * Calls `listener` for every move, and with `null` whenever notifications stop or resume
   * (connection lost, reconnected, closed): moves in between may have gone unseen. Returns a
   * function that removes the listener.
   */
  onAnyChange(listener: (change: AliasChange) => void): () => void;
  /** True while notifications are being received: only then may resolved aliases be cached. */
  readonly listening: boolean;
}

/** Options of `AliasWatcher`. */
export interface AliasWatcherOptions {
  /**
   * Opens a dedicated, connected pg client for LISTEN (a pooled connection would be handed to
   * other queries and lose the subscription). Called at start and after a lost connection; the
   * watcher owns the clients it gets this way and ends them on `close()`.
   */
  readonly connect: () => Promise<Client>;
  /** Channel `AliasManager` NOTIFYs on. @defaultValue `'metarec_registry_alias'` */
  readonly channel?: string;
  /** First delay before reconnecting after a lost connection, doubled up to `maxReconnectDelayMs`. @defaultValue `500` */
  readonly reconnectDelayMs?: number;
  /** @defaultValue `30_000` */
  readonly maxReconnectDelayMs?: number;
  /** @defaultValue none */
  readonly logger?: Logger;
}

/** Defaults laid under `AliasWatcherOptions`. */
export const DEFAULT_ALIAS_WATCHER_OPTIONS = { channel: 'metarec_registry_alias', reconnectDelayMs: 500, maxReconnectDelayMs: 30_000 } as const;

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
 * A lost connection is reopened with backoff; meanwhile waiters poll and caches stay off.
 */
export class AliasWatcher implements AliasChangeWaiter {
  private readonly connect: () => Promise<Client>;
  private readonly channel: string;
  private readonly reconnectDelayMs: number;
  private readonly maxReconnectDelayMs: number;
  private readonly logger: Logger | undefined;
  private readonly subscribers = new Map<string, Set<Subscriber>>();
  private readonly listeners = new Set<(change: AliasChange) => void>();
  private readonly onNotification = (message: Notification): void => this.dispatch(message);
  private client: Client | undefined;
  private connected = false;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private closing: Promise<void> | undefined;

  /** @throws RegistryError (`REG_OPTIONS_INVALID`) on an invalid channel name or delays. */
  constructor(options: AliasWatcherOptions) {
    const merged = { ...DEFAULT_ALIAS_WATCHER_OPTIONS, ...options };
    if (!CHANNEL_NAME.test(merged.channel)) {
      throw new RegistryError('REG_OPTIONS_INVALID', `invalid NOTIFY channel "${merged.channel}"`, { field: 'channel' });
    }
    if (!(merged.reconnectDelayMs > 0) || !(merged.maxReconnectDelayMs >= merged.reconnectDelayMs)) {
      throw new RegistryError('REG_OPTIONS_INVALID', 'reconnect delays must be > 0 and max >= first', { field: 'reconnectDelayMs' });
    }
    this.connect = merged.connect;
    this.channel = merged.channel;
    this.reconnectDelayMs = merged.reconnectDelayMs;
    this.maxReconnectDelayMs = merged.maxReconnectDelayMs;
    this.logger = merged.logger;
  }

  /** Opens the connection and starts listening; a failure here is thrown (the app cannot start). */
  async start(): Promise<void> {
    if (this.connected || this.closing !== undefined) {
      return;
    }
    await this.open();
  }

  get listening(): boolean {
    return this.connected;
  }

  onAnyChange(listener: (change: AliasChange) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
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

  /** Stops listening, wakes every waiter and ends the connection. Safe to call twice. */
  close(): Promise<void> {
    this.closing ??= this.stop();
    return this.closing;
  }

  private async open(): Promise<void> {
    const client = await this.connect();
    const lost = (error?: Error): void => this.lost(client, error);
    client.on('notification', this.onNotification);
    client.on('error', lost);
    client.on('end', lost);
    try {
      await client.query(`LISTEN ${this.channel}`);
    } catch (error) {
      client.off('error', lost);
      client.off('end', lost);
      await client.end().catch((endError: unknown) => this.logger?.warn({ err: endError }, 'could not end a failed LISTEN connection'));
      throw error;
    }
    this.client = client;
    this.connected = true;
    this.emit(null);
  }

  private lost(client: Client, error: Error | undefined): void {
    if (client !== this.client || !this.connected) {
      return;
    }
    this.connected = false;
    this.client = undefined;
    client.removeAllListeners('notification');
    this.emit(null);
    if (this.closing !== undefined) {
      return;
    }
    this.logger?.error({ err: error, channel: this.channel }, 'alias LISTEN connection lost: long-polls poll and the alias cache is off until it is back');
    client.end().catch((endError: unknown) => this.logger?.warn({ err: endError }, 'could not end the lost LISTEN connection'));
    this.scheduleReconnect(this.reconnectDelayMs);
  }

  private scheduleReconnect(delayMs: number): void {
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (this.closing !== undefined) {
        return;
      }
      this.open().then(
        () => this.logger?.info({ channel: this.channel }, 'alias LISTEN connection restored'),
        (error: unknown) => {
          this.logger?.error({ err: error, retryInMs: Math.min(delayMs * 2, this.maxReconnectDelayMs) }, 'alias LISTEN reconnect failed');
          this.scheduleReconnect(Math.min(delayMs * 2, this.maxReconnectDelayMs));
        },
      );
    }, delayMs);
  }

  private async stop(): Promise<void> {
    clearTimeout(this.reconnectTimer);
    // Wake waiters so they re-read now; with no more notifications they fall back to polling.
    for (const set of this.subscribers.values()) {
      for (const subscriber of set) {
        subscriber.wake?.();
      }
    }
    const client = this.client;
    const wasConnected = this.connected;
    this.connected = false;
    this.client = undefined;
    if (wasConnected) {
      this.emit(null);
    }
    if (client !== undefined) {
      client.removeAllListeners('notification');
      try {
        if (wasConnected) {
          await client.query(`UNLISTEN ${this.channel}`);
        }
      } finally {
        await client.end();
      }
    }
  }

  private emit(change: AliasChange): void {
    for (const listener of this.listeners) {
      listener(change);
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
    this.emit(change);
    for (const subscriber of this.subscribers.get(`${change.model}\u0000${change.alias}`) ?? []) {
      subscriber.pending = true;
      subscriber.wake?.();
    }
  }
}
