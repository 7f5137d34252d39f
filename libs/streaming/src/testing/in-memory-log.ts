import type { ConsumedMessage } from '../event-consumer.js';

/** Topics, partitions and committed offsets of an in-memory broker; shared by its clients. */
export class InMemoryLog {
  readonly topics = new Map<string, ConsumedMessage[][]>();
  /** groupId → `topic:partition` → next offset to read. */
  readonly commits = new Map<string, Map<string, bigint>>();
  /** Groups with a running member (one member per group, see InMemoryKafka). */
  readonly activeGroups = new Set<string>();
  /** Every error a batch handler threw (the batch was then redelivered), oldest first. */
  readonly handlerErrors: unknown[] = [];
  private waiters: (() => void)[] = [];

  /** Resolves at the next append (or after `timeoutMs`), so idle consumers do not spin. */
  nextAppend(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  notifyAppend(): void {
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((wake) => wake());
  }

  committed(groupId: string, topic: string, partition: number): bigint | undefined {
    return this.commits.get(groupId)?.get(`${topic}:${partition}`);
  }

  commit(groupId: string, topic: string, partition: number, offset: bigint): void {
    let group = this.commits.get(groupId);
    if (group === undefined) {
      group = new Map();
      this.commits.set(groupId, group);
    }
    group.set(`${topic}:${partition}`, offset);
  }
}

/**
 * FNV-1a of the key's UTF-8 bytes. Stable across runs, so tests can rely on "same key, same
 * partition"; it is NOT Kafka's murmur2, so partition numbers differ from a real broker's.
 */
export function partitionForKey(key: string | Buffer, partitions: number): number {
  const bytes = typeof key === 'string' ? Buffer.from(key, 'utf8') : key;
  let hash = 0x811c9dc5;
  for (const byte of bytes) {
    hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  }
  return hash % partitions;
}
