import { whileJetStreamSettles, within } from "@circulate/runtime";
import { type KV, Kvm } from "@nats-io/kv";
import type { NatsConnection } from "@nats-io/transport-node";
import type { TerminalHistory } from "../app/terminal-history.js";
import type { LastRequest } from "../domain/retry.js";

/** Longest retry budget an account may set; the bucket keeps entries a little longer. */
export const MAX_RETRY_BUDGET_MS = 15 * 60_000;

/** `<STREAM_PREFIX>_TERMINALS`: one bucket per deployment, like the event streams. */
export function terminalBucketName(streamPrefix: string): string {
  return `${streamPrefix}_TERMINALS`.replace(/[^A-Za-z0-9_-]/g, "_");
}

/**
 * Terminal history in a NATS KV bucket (one JetStream stream, one value per
 * terminal), so that every gateway replica and a restarted gateway see what a
 * terminal sent last. Entries age out after the longest retry budget.
 */
export class KvTerminalHistory implements TerminalHistory {
  private constructor(
    private readonly kv: KV,
    private readonly timeoutMs: number,
  ) {}

  /** `timeoutMs` bounds each read and write: a request waits on the history no longer than that. */
  static async open(nc: NatsConnection, streamPrefix: string, timeoutMs = 1_000, replicas = 1): Promise<KvTerminalHistory> {
    const kv = await whileJetStreamSettles(() => new Kvm(nc).create(terminalBucketName(streamPrefix), { history: 1, ttl: 2 * MAX_RETRY_BUDGET_MS, replicas }));
    return new KvTerminalHistory(kv, timeoutMs);
  }

  async last(terminal: string): Promise<LastRequest | undefined> {
    const entry = await this.#bounded(() => this.kv.get(terminal), "terminal history read");
    if (entry?.operation !== "PUT" || entry.length === 0) return undefined;
    return parseLast(entry.string());
  }

  async record(terminal: string, last: LastRequest): Promise<void> {
    await this.#bounded(() => this.kv.put(terminal, JSON.stringify(last)), "terminal history write");
  }

  /**
   * Within the timeout, a bucket whose stream is electing a leader (no responders) is asked
   * again: refusing at once would tell a kiosk "failed" about a transaction that may be done.
   */
  #bounded<T>(work: () => Promise<T>, what: string): Promise<T> {
    return within(whileJetStreamSettles(work, this.timeoutMs), this.timeoutMs, what);
  }
}

function parseLast(text: string): LastRequest | undefined {
  try {
    const v = JSON.parse(text) as Partial<LastRequest>;
    if (typeof v.digest === "string" && typeof v.commandId === "string" && typeof v.at === "number") {
      return { digest: v.digest, commandId: v.commandId, at: v.at };
    }
  } catch {
    // An unreadable entry says nothing: the request is treated as new.
  }
  return undefined;
}
