import type { LastRequest } from "../domain/retry.js";

/**
 * Where the gateway remembers each terminal's last routed request so that a
 * kiosk reconnecting — to this replica after a crash, or to another one — is
 * recognised when it resends. Shared by every replica (NATS KV in production).
 */
export interface TerminalHistory {
  /** The terminal's last routed request, from any connection or replica; undefined when none is known. */
  last(terminal: string): Promise<LastRequest | undefined>;
  /** Records the terminal's latest routed request; resolves once it is stored. */
  record(terminal: string, last: LastRequest): Promise<void>;
}

/**
 * One connection's view of its terminal: the last request it sent (exact for
 * this socket, whatever other connections of a shared login do) and a queue
 * that keeps its writes to the shared history in arrival order.
 */
export class ConnectionHistory {
  /** The terminal's key in the shared history ({@link terminalKey}). */
  constructor(readonly terminal: string) {}

  last: LastRequest | undefined;
  /** Whether this connection has sent a routed request yet (until then the shared history speaks for it). */
  started = false;
  /** The shared history holds, from this connection, a request with nothing to replay (a query or a local refusal). */
  nothingToReplayStored = false;
  #writes: Promise<void> = Promise.resolve();

  /** Chains `write` after the connection's earlier writes; the result settles with it. */
  inOrder(write: () => Promise<void>): Promise<void> {
    const next = this.#writes.then(write);
    this.#writes = next.catch(() => undefined);
    return next;
  }
}
