/** A topic to create if missing. */
export interface TopicSpec {
  readonly topic: string;
  /** Partition count; the parallelism limit of one consumer group. */
  readonly partitions: number;
  /** Copies of each partition. @defaultValue `1` (the dev broker is a single node) */
  readonly replicationFactor?: number;
  /** Topic configs, e.g. `{ 'retention.ms': '604800000', 'cleanup.policy': 'compact' }`. @defaultValue `{}` */
  readonly configs?: Readonly<Record<string, string>>;
}

/** What `ensureTopics` did. */
export interface EnsureTopicsResult {
  readonly created: readonly string[];
  readonly existing: readonly string[];
}

/** Per-partition offsets of a topic: committed by a group, or the log end. */
export type PartitionOffsets = ReadonlyMap<number, bigint>;

/** Topic management and offset inspection. */
export interface TopicAdmin {
  /**
   * Creates the topics that do not exist yet; idempotent.
   * @throws StreamingError `STREAM_TOPIC_MISMATCH` when an existing topic has another partition
   * count (keys would hash to other partitions), `STREAM_ADMIN_FAILED`.
   */
  ensureTopics(specs: readonly TopicSpec[]): Promise<EnsureTopicsResult>;
  /** Names of all non-internal topics. */
  listTopics(): Promise<readonly string[]>;
  /** Deletes topics; missing ones are ignored. */
  deleteTopics(topics: readonly string[]): Promise<void>;
  /** The log-end offset (high watermark) of each partition. */
  endOffsets(topic: string): Promise<PartitionOffsets>;
  /**
   * The effective configs of `topic` (its own overrides, else the broker's defaults), e.g.
   * `max.message.bytes`, so a client can size what it sends to what the broker will take.
   * @throws StreamingError `STREAM_ADMIN_FAILED` (e.g. the topic does not exist).
   */
  topicConfigs(topic: string): Promise<ReadonlyMap<string, string>>;
  /** Offsets committed by `groupId`; partitions without a commit are absent. */
  committedOffsets(groupId: string, topic: string): Promise<PartitionOffsets>;
  /** Disconnects; safe to call twice. */
  close(): Promise<void>;
}
