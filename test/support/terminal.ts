/**
 * A kiosk that keeps one item circulating — check it out to its patron, check it
 * in, again — the way real kiosks behave when something fails: a refused or
 * unanswered request is sent again byte for byte (a retry, which the gateway and
 * the services recognise), and a dropped connection is re-opened, logged in at
 * the same location, and the request in hand re-sent. Every answer is recorded.
 */
import type { SipRequest } from "@circulate/sip2";
import { Kiosk } from "./kiosk.js";
import * as rq from "./requests.js";

/** kiosk1's `timeoutMs` in infra/demo/accounts.yaml: the gateway answers within it. */
export const ACCOUNT_TIMEOUT_MS = 5_000;
/** The answers that say the backend could not act (nothing was decided). */
export const BACKEND_REFUSALS = ["System unavailable. Please see staff.", "System busy. Please try again."];

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

  constructor(
    private readonly port: number,
    readonly index: number,
    readonly patron: string,
    readonly item: string,
  ) {}

  start(): void {
    this.#done = this.#run();
  }

  /** Finishes the transaction in hand (re-sending until accepted), then closes. */
  async stop(): Promise<void> {
    this.#stopping = true;
    await this.#done;
    this.#kiosk?.close();
  }

  async #connect(): Promise<Kiosk> {
    const kiosk = await Kiosk.connect(this.port, { timeoutMs: ACCOUNT_TIMEOUT_MS + 1_000 });
    // Each kiosk stands at its own location: terminals sharing a login are told apart by it.
    const login = await kiosk.ask(rq.login("kiosk1", "kiosk1pw", `K${this.index}`));
    if (!login.message.ok) throw new Error("kiosk1 login refused");
    return kiosk;
  }

  async #run(): Promise<void> {
    while (!this.#stopping) {
      await this.#untilAccepted("checkout", rq.checkout(this.patron, this.item));
      await this.#untilAccepted("checkin", rq.checkin(this.item));
    }
  }

  async #untilAccepted(kind: Answer["kind"], request: SipRequest): Promise<void> {
    const expected = kind === "checkout" ? "12" : "10";
    this.inHand = kind;
    const sequence = this.#sequence++ % 10;
    let bytes: Uint8Array | undefined;
    let dropped = false;
    for (;;) {
      if (!this.#kiosk) {
        try {
          this.#kiosk = await this.#connect();
        } catch {
          // The gateway is not listening yet: a kiosk keeps trying.
          await new Promise((r) => setTimeout(r, 100));
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
        const answer = { kiosk: this.index, kind, item: this.item, sentAt, answeredAt: Date.now(), ok: m.ok === true, renewal: m.renewalOk === true, screen };
        this.answers.push({ ...answer, resentAfterReconnect: dropped });
        dropped = false;
        if (m.code !== expected) this.problems.push(`kiosk ${this.index}: ${kind} answered ${m.code}`);
        if (m.ok === true) return;
        if (!BACKEND_REFUSALS.includes(screen)) this.problems.push(`kiosk ${this.index}: ${kind} refused: ${screen}`);
      } catch (err) {
        if (kiosk.closed) {
          this.drops++;
          dropped = true;
        } else {
          this.problems.push(`kiosk ${this.index}: ${kind}: ${(err as Error).message}`);
        }
        kiosk.close();
        this.#kiosk = undefined;
        continue;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
