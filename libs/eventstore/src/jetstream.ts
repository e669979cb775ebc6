import {
  JetStreamApiCodes,
  JetStreamApiError,
  type JetStreamManager,
  type StreamConfig,
  type StreamInfo,
} from "@nats-io/jetstream";
import { whileJetStreamSettles } from "@circulate/runtime";
import type { RecordedEvent } from "./events.js";
import type { RelayMessage } from "./relay.js";

/** Options of {@link ensureStream}. */
export interface EnsureStreamOptions {
  name: string;
  subjects: string[];
  /** Window within which JetStream drops a repeated msgID. Default 2 minutes. */
  duplicateWindowMs?: number;
  /** Any other stream settings (storage, retention, replicas…), used on creation. */
  config?: Partial<StreamConfig>;
}

const NANOS_PER_MS = 1_000_000;

function isApiError(error: unknown, code: number): boolean {
  return error instanceof JetStreamApiError && error.code === code;
}

function sameSubjects(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().every((s, i) => s === [...b].sort()[i]);
}

/**
 * Creates the JetStream stream if missing; if it exists with other subjects or
 * another duplicate window, updates those two settings (nothing else). Safe to
 * call from every replica at start, concurrently. While the cluster is still
 * electing its leaders it asks again, for up to `settleMs` (default 60 s), so a
 * process started with its NATS cluster does not exit for being early.
 */
export function ensureStream(jsm: JetStreamManager, options: EnsureStreamOptions & { settleMs?: number }): Promise<StreamInfo> {
  return whileJetStreamSettles(() => ensureStreamOnce(jsm, options), options.settleMs);
}

async function ensureStreamOnce(jsm: JetStreamManager, options: EnsureStreamOptions): Promise<StreamInfo> {
  const duplicateWindow = (options.duplicateWindowMs ?? 120_000) * NANOS_PER_MS;
  let info: StreamInfo;
  try {
    info = await jsm.streams.info(options.name);
  } catch (error) {
    if (!isApiError(error, JetStreamApiCodes.StreamNotFound)) throw error;
    try {
      return await jsm.streams.add({
        ...options.config,
        name: options.name,
        subjects: options.subjects,
        duplicate_window: duplicateWindow,
      });
    } catch (addError) {
      // Another replica created it first (with a config that differs in some
      // detail, or add would have been accepted as-is): fall through to update.
      info = await jsm.streams.info(options.name).catch(() => {
        throw addError;
      });
    }
  }
  const config = info.config;
  if (sameSubjects(config.subjects ?? [], options.subjects) && config.duplicate_window === duplicateWindow) return info;
  return jsm.streams.update(options.name, { ...config, subjects: options.subjects, duplicate_window: duplicateWindow });
}

/** The JSON document {@link jsonEventMessage} publishes. */
export interface JsonEventEnvelope {
  eventId: string;
  type: string;
  streamId: string;
  streamPosition: number;
  /** Decimal string: 64-bit. */
  globalPosition: string;
  occurredAt: string;
  recordedAt: string;
  metadata: RecordedEvent["metadata"];
  data: unknown;
}

/**
 * A `toMessage` for the relay that publishes events as JSON envelopes, with
 * the event type and stream position also in headers so consumers can filter
 * and check order without parsing. Protobuf encoders can follow the same shape.
 */
export function jsonEventMessage(subject: (event: RecordedEvent) => string): (event: RecordedEvent) => RelayMessage {
  return (event) => {
    const envelope: JsonEventEnvelope = {
      eventId: event.eventId,
      type: event.type,
      streamId: event.streamId,
      streamPosition: event.streamPosition,
      globalPosition: event.globalPosition.toString(),
      occurredAt: event.occurredAt.toISOString(),
      recordedAt: event.recordedAt.toISOString(),
      metadata: event.metadata,
      data: event.data,
    };
    return {
      subject: subject(event),
      data: JSON.stringify(envelope),
      headers: {
        "Circulate-Event-Type": event.type,
        "Circulate-Stream-Id": event.streamId,
        "Circulate-Stream-Position": String(event.streamPosition),
      },
    };
  };
}
