/**
 * A kiosk that keeps items circulating — check one out to its patron, check it
 * in, then the next — the way real kiosks behave when something fails: a
 * refused or unanswered request is sent again byte for byte (a retry, which the
 * gateway and the services recognise, so they act once), and a dropped
 * connection is re-opened, logged in at the same location, and the request in
 * hand re-sent. Every answer is recorded with its latency. Given several
 * gateways, a kiosk whose gateway went away connects to the next one, as a
 * kiosk behind a load balancer would.
 */
import type { SipRequest } from "@circulate/sip2";
import { Kiosk } from "./kiosk.js";
import * as rq from "./requests.js";

/** kiosk1's `timeoutMs` in infra/demo/accounts.yaml: the gateway answers within it. */
export const ACCOUNT_TIMEOUT_MS = 5_000;
/** The answers that say the backend could not act (nothing was decided). */
export const BACKEND_REFUSALS = ["System unavailable. Please see staff.", "System busy. Please try again."];

/** What one kiosk was answered. `sentAt`/`answeredAt` are epoch ms; `screen` is AF. */
export interface Answer {
  readonly kiosk: number;
  readonly kind: "checkout" | "checkin";
  readonly item: string;
  readonly sentAt: number;
  readonly answeredAt: number;
  readonly ok: boolean;
  readonly renewal: boolean;
  readonly screen: string;
  /** The request had been sent on a connection that dropped; this is its re-send on a new one. */
  readonly resentAfterReconnect: boolean;
}

export interface TerminalOptions {
  /**
   * The gateway may go away under the kiosk (killed, restarted): a refused
   * connect is retried and a dropped connection counted in `drops`, neither a
   * problem. Without it the gateway stays up, so either is a problem.
   */
  readonly gatewayMayGoAway?: boolean;
  /** Pause before re-sending a refused request. Default 100 ms. */
  readonly resendAfterMs?: number;
}

/** A connection logged in as the demo's kiosk1 (at `location`, else the account's), waiting up to the account timeout and a second. */
export async function kiosk1At(port: number, location?: string): Promise<Kiosk> {
  const kiosk = await Kiosk.connect(port, { timeoutMs: ACCOUNT_TIMEOUT_MS + 1_000 });
  if (!(await kiosk.ask(rq.login("kiosk1", "kiosk1pw", location))).message.ok) {
    kiosk.close();
    throw new Error("kiosk1 login refused");
  }
  return kiosk;
}

export class CirculatingTerminal {
  readonly answers: Answer[] = [];
  /** What a kiosk must never see: no answer in time, a wrong code, a refusal not about the backend. */
  readonly problems: string[] = [];
  /** Connections that dropped under the kiosk. */
  drops = 0;
  /** The transaction the kiosk is trying now. */
  inHand: Answer["kind"] = "checkout";
  #kiosk: Kiosk | undefined;
  #stopping = false;
  #sequence = 0;
  #done: Promise<void> | undefined;
  readonly #ports: readonly number[];
  /** Which of the gateways the kiosk uses now. */
  #gateway: number;

  constructor(
    port: number | readonly number[],
    readonly index: number,
    readonly patron: string,
    readonly items: readonly string[],
    private readonly options: TerminalOptions = {},
  ) {
    this.#ports = typeof port === "number" ? [port] : port;
    this.#gateway = index % this.#ports.length;
  }

  /** The SIP2 port of the gateway the kiosk uses now. */
  get gatewayPort(): number {
    return this.#ports[this.#gateway]!;
  }

  start(): void {
    this.#done = this.#run();
  }

  /** Finishes the transaction in hand (re-sending until accepted), then closes. */
  async stop(): Promise<void> {
    this.#stopping = true;
    await this.#done;
    this.#kiosk?.close();
  }

  /** How many of `kind` were accepted. */
  accepted(kind: Answer["kind"]): number {
    return this.answers.filter((a) => a.ok && a.kind === kind).length;
  }

  #connect(): Promise<Kiosk> {
    // Each kiosk stands at its own location: terminals sharing a login are told apart by it.
    return kiosk1At(this.gatewayPort, `K${this.index}`);
  }

  async #run(): Promise<void> {
    for (let j = 0; !this.#stopping; j++) {
      const item = this.items[j % this.items.length]!;
      await this.#untilAccepted("checkout", item, rq.checkout(this.patron, item));
      await this.#untilAccepted("checkin", item, rq.checkin(item));
    }
  }

  async #untilAccepted(kind: Answer["kind"], item: string, request: SipRequest): Promise<void> {
    const expected = kind === "checkout" ? "12" : "10";
    const pauseMs = this.options.resendAfterMs ?? 100;
    this.inHand = kind;
    const sequence = this.#sequence++ % 10;
    let bytes: Uint8Array | undefined;
    let dropped = false;
    for (;;) {
      if (!this.#kiosk) {
        try {
          this.#kiosk = await this.#connect();
        } catch (err) {
          if (!this.options.gatewayMayGoAway) this.problems.push(`kiosk ${this.index}: could not connect and log in: ${(err as Error).message}`);
          this.#gateway = (this.#gateway + 1) % this.#ports.length;
          await new Promise((r) => setTimeout(r, pauseMs));
          continue;
        }
      }
      const kiosk = this.#kiosk;
      bytes ??= kiosk.encode(request, sequence);
      const sentAt = Date.now();
      kiosk.sendRaw(bytes);
      try {
        const { message } = await kiosk.next();
        const m = message as { code: string; ok?: boolean; renewalOk?: boolean; screenMessages?: string[] };
        const screen = m.screenMessages?.[0] ?? "";
        const answer = { kiosk: this.index, kind, item, sentAt, answeredAt: Date.now(), ok: m.ok === true, renewal: m.renewalOk === true, screen };
        this.answers.push({ ...answer, resentAfterReconnect: dropped });
        dropped = false;
        if (m.code !== expected) this.problems.push(`kiosk ${this.index}: ${kind} answered ${m.code}`);
        if (m.ok === true) return;
        if (!BACKEND_REFUSALS.includes(screen)) this.problems.push(`kiosk ${this.index}: ${kind} refused: ${screen}`);
      } catch (err) {
        if (kiosk.closed) {
          this.drops++;
          dropped = true;
          this.#gateway = (this.#gateway + 1) % this.#ports.length;
        }
        if (!kiosk.closed || !this.options.gatewayMayGoAway) this.problems.push(`kiosk ${this.index}: ${kind}: ${(err as Error).message}`);
        kiosk.close();
        this.#kiosk = undefined;
        continue;
      }
      await new Promise((r) => setTimeout(r, pauseMs));
    }
  }
}
