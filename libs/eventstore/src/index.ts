export { type AppendResult, appendToStream } from "./append.js";
export { appendToStreams, type StreamAppend } from "./append-many.js";
export {
  type CommandResult,
  type Decision,
  type HandleCommandOptions,
  handleCommand,
  type InlineProjection,
} from "./command.js";
export {
  type ConsumerOptions,
  type DurableConsumer,
  deleteProcessedMessagesBefore,
  readConsumerCheckpoint,
  startConsumer,
} from "./consumer.js";
export { ConsumerPosition } from "./consumer-position.js";
export { ConcurrencyError, DeadlineExceededError, type ExpectedVersion } from "./errors.js";
export type { Event, EventMetadata, EventOptions, NewEvent, RecordedEvent, RecordedEventInfo } from "./events.js";
export {
  DEFAULT_RETENTION_MS,
  deleteExpiredIdempotencyRecords,
  type IdempotencyOptions,
  type IdempotentResult,
  withIdempotency,
} from "./idempotency.js";
export { currentOutcomeRecorder, type OutcomeRecorder, recordingOutcomes } from "./outcome-recorder.js";
export { type EnsureStreamOptions, ensureStream, type JsonEventEnvelope, jsonEventMessage } from "./jetstream.js";
export {
  EVENT_STORE_MIGRATION_LOCK_TABLE,
  EVENT_STORE_MIGRATION_TABLE,
  eventStoreMigrations,
  MigrationError,
  migrateDatabase,
  migrateEventStore,
} from "./migrations/index.js";
export {
  type AggregateStreamResult,
  aggregateStream,
  type ReadStreamOptions,
  readStream,
  readStreams,
  readStreamVersion,
  relayLag,
} from "./read.js";
export {
  type PublishedEvent,
  type Relay,
  type RelayMessage,
  type RelayOptions,
  type RelayPublisher,
  startRelay,
} from "./relay.js";
export type { RelayCheckpoint } from "./relay-session.js";
export type {
  ConsumerCheckpointsTable,
  EventStoreDatabase,
  EventsTable,
  IdempotencyTable,
  ProcessedMessagesTable,
  RelayCheckpointsTable,
} from "./schema.js";
export { Backoff } from "./backoff.js";
export { createPool, type PoolOptions } from "./pool.js";
