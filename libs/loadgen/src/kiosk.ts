/**
 * One simulated self-check kiosk: one TCP connection, login (93) and SC status (99),
 * then patron sessions in a loop — 23 patron status, k checkouts (11) of distinct
 * items, 63 patron information, 35 end session — followed by checkins (09) of what
 * was borrowed, so the items go back to the pool. Each kiosk serves its own share of
 * patrons and items (see {@link KioskShare}), so kiosks never collide.
 */
import { type CodecOptions, noFlags, type RequestCode, type SipRequest, SummaryPosition } from "@circulate/sip2";
import type { Budget } from "./budget.js";
import { FATAL_ERRORS, type ResponseTo, SipConnection } from "./connection.js";
import { itemBarcode, KioskShare, patronBarcode } from "./library.js";
import type { Recorder } from "./report.js";

/** What every kiosk of a run shares. */
export interface KioskConfig {
  readonly host: string;
  readonly port: number;
  /** Several gateways: kiosk i connects to `ports[i % n]`, as a load balancer spreads kiosks. Default `[port]`. */
  readonly ports?: readonly number[];
  readonly codec: CodecOptions;
  /** Terminal account (93 CN / CO). */
  readonly login: string;
  readonly password: string;
  /** 93 CP and 09 AP: where the kiosk stands. */
  readonly location: string;
  /** AO of every patron request. */
  readonly institution: string;
  /** AD sent for every patron (the generated library's PIN). */
  readonly pin: string;
  readonly checkoutsPerSession: number;
  /** Sizes of the loaded library: patrons L000001…, items LI0000001…. */
  readonly patrons: number;
  readonly items: number;
  /** Number of kiosks in the run (for the shares). */
  readonly kiosks: number;
  /** Per request: time to the complete response frame; also the connect timeout. */
  readonly timeoutMs: number;
  /** Pause before reconnecting after a broken connection. */
  readonly reconnectDelayMs: number;
}

type Answer<C extends RequestCode> = { readonly type: "answer"; readonly ok: boolean; readonly message: ResponseTo<C> } | { readonly type: "error"; readonly broken: boolean };

/** Whether an answer is a well-formed refusal rather than a success. */
const REFUSED: { [C in "93" | "99" | "23" | "11" | "63" | "35" | "09"]: (m: ResponseTo<C>) => boolean } = {
  "93": (m) => !m.ok,
  "99": (m) => !m.onlineStatus,
  "23": (m) => m.validPatron === false || m.validPatronPassword === false,
  "11": (m) => !m.ok,
  "63": (m) => m.validPatron === false || m.validPatronPassword === false,
  "35": (m) => !m.endSession,
  "09": (m) => !m.ok,
};

type Sent = keyof typeof REFUSED;

/** After a session: go on, reconnect (the connection broke), or stop (budget spent). */
type Step = "next" | "broken" | "done";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class Kiosk {
  readonly #patrons: KioskShare;
  readonly #items: KioskShare;
  /** Items borrowed and not yet returned (kept across a reconnect, returned next session). */
  readonly #held: string[] = [];

  constructor(
    readonly index: number,
    private readonly config: KioskConfig,
    private readonly budget: Budget,
    private readonly recorder: Recorder,
  ) {
    this.#patrons = new KioskShare(index, config.kiosks, config.patrons);
    this.#items = new KioskShare(index, config.kiosks, config.items);
    if (this.#patrons.size === 0 || this.#items.size < config.checkoutsPerSession) {
      throw new RangeError(`kiosk ${index} needs at least 1 patron and ${config.checkoutsPerSession} items of its own`);
    }
  }

  /** Runs sessions until the budget is spent; resolves when the kiosk has stopped. */
  async run(): Promise<void> {
    while (!this.budget.stopped) {
      let connection: SipConnection;
      try {
        const ports = this.config.ports ?? [this.config.port];
        connection = await SipConnection.open(this.config.host, ports[this.index % ports.length]!, this.config.codec, this.config.timeoutMs);
      } catch (err) {
        this.recorder.connectFailed((err as Error).message);
        await sleep(this.config.reconnectDelayMs);
        continue;
      }
      this.recorder.connectionsOpened++;
      try {
        const signOn = await this.#signOn(connection);
        if (signOn === "refused") {
          this.recorder.stoppedKiosks.push({ kiosk: this.index, reason: `login refused for ${this.config.login}` });
          break;
        }
        if (signOn === "done") break;
        if (signOn === "ready") {
          let step: Step;
          do step = await this.#session(connection);
          while (step === "next");
          // Out of budget: stop for good rather than reconnect and sign on again.
          if (step === "done") break;
        }
      } finally {
        connection.close();
      }
      if (!this.budget.stopped) await sleep(this.config.reconnectDelayMs);
    }
    this.recorder.itemsLeftOnLoan += this.#held.length;
  }

  async #send<C extends Sent>(connection: SipConnection, request: SipRequest & { code: C }): Promise<Answer<C>> {
    const exchange = await connection.exchange<C>(request, this.config.timeoutMs);
    if (exchange.type === "error") {
      this.recorder.record(request.code, exchange.kind, exchange.latencyMs);
      return { type: "error", broken: FATAL_ERRORS.has(exchange.kind) || !connection.open };
    }
    const refused = (REFUSED[request.code as C] as (m: ResponseTo<C>) => boolean)(exchange.message);
    this.recorder.record(request.code, refused ? "refused" : "ok", exchange.latencyMs);
    return { type: "answer", ok: !refused, message: exchange.message };
  }

  /** 93 then 99. */
  async #signOn(connection: SipConnection): Promise<"ready" | "refused" | "broken" | "done"> {
    if (!this.budget.take(2)) return "done";
    const c = this.config;
    const login = await this.#send(connection, { code: "93", uidAlgorithm: "0", pwdAlgorithm: "0", loginUserId: c.login, loginPassword: c.password, locationCode: c.location });
    if (login.type === "error") {
      this.budget.release(1);
      return "broken";
    }
    if (!login.ok) {
      this.budget.release(1);
      return "refused";
    }
    const status = await this.#send(connection, { code: "99", statusCode: "0", maxPrintWidth: 40, protocolVersion: "2.00" });
    return status.type === "error" && status.broken ? "broken" : "ready";
  }

  /** One patron session and the returns. */
  async #session(connection: SipConnection): Promise<Step> {
    const c = this.config;
    const need = 2 * c.checkoutsPerSession + 3 + this.#held.length;
    if (!this.budget.take(need)) return "done";
    let sent = 0;
    const send = <C extends Sent>(request: SipRequest & { code: C }) => {
      sent++;
      return this.#send<C>(connection, request);
    };
    try {
      const patron = patronBarcode(this.#patrons.next());
      const who = { institutionId: c.institution, patronIdentifier: patron, terminalPassword: "", patronPassword: c.pin };
      const status = await send<"23">({ code: "23", language: "001", transactionDate: new Date(), ...who });
      if (status.type === "error" && status.broken) return "broken";
      // A kiosk goes on only for a patron the server accepted; otherwise it says "see staff".
      if (status.type === "answer" && status.ok) {
        for (let i = 0; i < c.checkoutsPerSession; i++) {
          const item = itemBarcode(this.#items.next());
          const out = await send<"11">({
            code: "11",
            scRenewalPolicy: false,
            noBlock: false,
            transactionDate: new Date(),
            nbDueDate: null,
            ...who,
            itemIdentifier: item,
            feeAcknowledged: false,
            cancel: false,
          });
          if (out.type === "answer" && out.ok) this.#held.push(item);
          if (out.type === "error" && out.broken) return "broken";
        }
        const summary = { ...noFlags(SummaryPosition), chargedItems: true };
        const info = await send<"63">({ code: "63", language: "001", transactionDate: new Date(), summary, ...who, startItem: "1", endItem: "10" });
        if (info.type === "error" && info.broken) return "broken";
      }
      const end = await send<"35">({ code: "35", transactionDate: new Date(), ...who });
      if (end.type === "error" && end.broken) return "broken";
      for (const item of [...this.#held]) {
        const now = new Date();
        const back = await send<"09">({
          code: "09",
          noBlock: false,
          transactionDate: now,
          returnDate: now,
          currentLocation: c.location,
          institutionId: c.institution,
          itemIdentifier: item,
          terminalPassword: "",
          cancel: false,
        });
        // A refusal means the server does not have it on loan: nothing left to return.
        if (back.type === "answer") this.#held.splice(this.#held.indexOf(item), 1);
        else if (back.broken) return "broken";
      }
      this.recorder.sessions++;
      return "next";
    } finally {
      this.budget.release(need - sent);
    }
  }
}
