import type { ServiceName } from "@circulate/contracts";
import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import type { GatewayMetrics, RequestOutcome } from "../app/ports.js";

/** Prometheus metrics of the gateway, registered on the ops server's registry. */
export class PromMetrics implements GatewayMetrics {
  readonly #connections: Gauge<"listener">;
  readonly #connectionsTotal: Counter<"listener">;
  readonly #requests: Counter<"message" | "outcome">;
  readonly #lateApplied: Counter;
  readonly #latency: Histogram<"message">;
  readonly #lastSeen: Gauge<"terminal">;
  readonly #scStatus: Gauge<"terminal">;
  readonly #backendUp: Gauge<"service">;

  constructor(registry: Registry) {
    const registers = [registry];
    this.#connections = new Gauge({ name: "sip2_connections", help: "Open SIP2 connections", labelNames: ["listener"], registers });
    this.#connectionsTotal = new Counter({
      name: "sip2_connections_total",
      help: "SIP2 connections accepted",
      labelNames: ["listener"],
      registers,
    });
    this.#requests = new Counter({
      name: "sip2_requests_total",
      help: "SIP2 requests answered, by message code and outcome",
      labelNames: ["message", "outcome"],
      registers,
    });
    this.#lateApplied = new Counter({
      name: "sip2_late_applied_outcomes_total",
      help: "Transactions applied whose outcome arrived after the kiosk had been answered (a retry of the request gets it)",
      registers,
    });
    this.#latency = new Histogram({
      name: "sip2_request_duration_seconds",
      help: "Time from a request's arrival to its answer being written",
      labelNames: ["message"],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.#lastSeen = new Gauge({
      name: "sip2_terminal_last_seen_seconds",
      help: "Unix time of the last request from a terminal account",
      labelNames: ["terminal"],
      registers,
    });
    this.#scStatus = new Gauge({
      name: "sip2_terminal_sc_status",
      help: "Last SC status code a terminal reported in 99 (0 ok, 1 printer out of paper, 2 about to shut down)",
      labelNames: ["terminal"],
      registers,
    });
    this.#backendUp = new Gauge({
      name: "sip2_backend_up",
      help: "1 when the service answers the gateway's health ping",
      labelNames: ["service"],
      registers,
    });
  }

  connectionOpened(listener: string): void {
    this.#connections.inc({ listener });
    this.#connectionsTotal.inc({ listener });
  }

  connectionClosed(listener: string): void {
    this.#connections.dec({ listener });
  }

  lateAppliedOutcome(): void {
    this.#lateApplied.inc();
  }

  request(message: string, outcome: RequestOutcome, seconds: number): void {
    this.#requests.inc({ message, outcome });
    this.#latency.observe({ message }, seconds);
  }

  terminalSeen(terminal: string, at: Date): void {
    this.#lastSeen.set({ terminal }, at.getTime() / 1000);
  }

  scStatus(terminal: string, code: string): void {
    const n = Number(code);
    if (Number.isInteger(n)) this.#scStatus.set({ terminal }, n);
  }

  backend(service: ServiceName, up: boolean): void {
    this.#backendUp.set({ service }, up ? 1 : 0);
  }
}
