import type { ServiceName } from "@circulate/contracts";

/** What the sessions need to know about the backend. */
export interface BackendHealth {
  /** NATS connected: a command can be sent at all. */
  natsConnected(): boolean;
  /** NATS connected and the owning service answering: commands for it can be taken now. */
  canTake(service: ServiceName): boolean;
  /** Every service can take commands (98 on-line status). */
  online(): boolean;
}

/** How a request ended, as counted in metrics. */
export type RequestOutcome =
  | "accepted"
  | "refused"
  | "denied"
  | "timeout"
  | "unavailable"
  | "cached"
  | "local"
  | "bad_checksum"
  | "malformed";

/** What the sessions report; the Prometheus adapter implements it. */
export interface GatewayMetrics {
  connectionOpened(listener: string): void;
  connectionClosed(listener: string): void;
  request(message: string, outcome: RequestOutcome, seconds: number): void;
  /** A transaction was applied but its outcome came after the kiosk had been answered. */
  lateAppliedOutcome(): void;
  terminalSeen(terminal: string, at: Date): void;
  scStatus(terminal: string, code: string): void;
}

export const noMetrics: GatewayMetrics = {
  connectionOpened() {},
  connectionClosed() {},
  request() {},
  lateAppliedOutcome() {},
  terminalSeen() {},
  scStatus() {},
};
