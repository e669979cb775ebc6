import {
  type EncodeOptions,
  encodeMessage,
  type LoginRequest,
  parseRequest,
  type SipResponse,
  Sip2Framer,
  type Terminator,
} from "@circulate/sip2";
import { inSpanContext, type Span, SpanKind, spanFailed, startSpan, tracingEnabled } from "@circulate/runtime";
import type { Logger } from "pino";
import { mayConnectFrom } from "../domain/accounts.js";
import { DEFAULT_PROFILE } from "../domain/profiles.js";
import { replyEnding, withEnding } from "../domain/reply-terminator.js";
import type { TerminalAccount, TerminalContext } from "../domain/terminal.js";
import type { AccountRegistry } from "./accounts.js";
import { acsStatus } from "./acs-status.js";
import { NO_OBSERVER, type TerminalObserver } from "./fleet.js";
import type { Throttle } from "./login-throttle.js";
import type { VerifiedPasswords } from "./passwords.js";
import type { BackendHealth, GatewayMetrics, RequestOutcome } from "./ports.js";
import { encodeResend, type Reply, type RoutedRequests } from "./routed.js";
import { terminalKey } from "../domain/retry.js";
import { ConnectionHistory } from "./terminal-history.js";
import type { RoutedRequest } from "./translator.js";

/** The socket side of a session (TCP or TLS). */
export interface Connection {
  readonly remoteAddress: string | undefined;
  write(bytes: Uint8Array): void;
}

export interface SessionDeps {
  accounts: AccountRegistry;
  throttle: Throttle;
  passwords: VerifiedPasswords;
  routed: RoutedRequests;
  health: BackendHealth;
  metrics: GatewayMetrics;
  logger: Logger;
  maxFrameBytes: number;
}

/** The account of a connection that has neither logged in nor been bound: may do nothing. */
const NOBODY: TerminalAccount = {
  login: "",
  passwordHash: "",
  terminalPassword: "required",
  institutionId: "",
  libraryName: "",
  location: "",
  allowedNetworks: [],
  bindAddresses: [],
  permissions: new Set(),
  replyTerminator: "mirror",
  renewalPolicy: false,
  charset: "ibm850",
  timeZone: "UTC",
  timeoutMs: 5_000,
  retryBudgetMs: 60_000,
  requireErrorDetection: false,
  resolution: "institution",
  scStatusBeforeLogin: false,
  checkinNotOnLoan: "alert",
  responseProfile: DEFAULT_PROFILE,
  patronPinRequired: false,
  active: false,
  dueDateFormat: "sip2",
  acsStatus: {},
};

const RESEND = Symbol("resend");
type Pending = Promise<Reply> | Reply | typeof RESEND;

/**
 * One kiosk connection. Frames are taken one at a time (a 93 changes how the
 * next frame is read), but a request sent to a service does not hold up the
 * next one: its answer is a pending promise in the write queue, and the queue
 * writes answers strictly in arrival order. Every frame gets exactly one answer.
 */
export class Session {
  readonly #framer: Sip2Framer;
  readonly #log: Logger;
  #account: TerminalAccount | undefined;
  #location = "";
  #loggedIn = false;
  #intake: Promise<void> = Promise.resolve();
  #writes: Promise<void> = Promise.resolve();
  #last: Uint8Array | undefined;
  #open = true;
  /** What this connection's terminal sent last that went to a service (retry recognition). */
  #history: ConnectionHistory;

  /** `terminal` hears what the fleet shows of this connection: its account, 99 status, answers. */
  constructor(
    private readonly conn: Connection,
    private readonly deps: SessionDeps,
    private readonly terminal: TerminalObserver = NO_OBSERVER,
  ) {
    this.#framer = new Sip2Framer({ maxFrameBytes: deps.maxFrameBytes });
    this.#log = deps.logger.child({ remote: conn.remoteAddress });
    const bound = deps.accounts.boundTo(conn.remoteAddress);
    if (bound) {
      this.#account = bound;
      this.#location = bound.location;
      this.#log.info({ terminal: bound.login }, "connection bound to account by source address");
      terminal.account(bound, bound.location, "binding", Date.now());
    }
    this.#history = this.#newHistory();
  }

  /** A fresh history for the terminal now speaking on this socket. */
  #newHistory(): ConnectionHistory {
    return new ConnectionHistory(terminalKey(this.#account?.login ?? "", this.#location, this.conn.remoteAddress ?? ""));
  }

  /** The account in use (logged in or bound), if any. */
  get account(): TerminalAccount | undefined {
    return this.#account;
  }

  /** Every frame gets exactly one answer; a bare terminator is not a frame (the framer drops it). */
  receive(chunk: Uint8Array): void {
    if (!this.#open) return;
    for (const ev of this.#framer.push(chunk)) {
      const received = Date.now();
      const { terminator } = ev;
      if (ev.type === "error") {
        this.#log.warn({ discardedBytes: ev.discardedBytes }, "oversize frame answered 96");
        this.#intake = this.#intake.then(() => this.#queue("??", received, this.#resend96("malformed"), terminator));
        continue;
      }
      const raw = ev.bytes;
      this.#intake = this.#intake.then(() => this.#accept(raw, received, terminator));
    }
  }

  /** Stop taking frames; resolves when every answer owed has been written. */
  async drain(): Promise<void> {
    this.#open = false;
    await this.#intake;
    await this.#writes;
  }

  async #accept(raw: Uint8Array, received: number, terminator: Terminator | null): Promise<void> {
    // From the socket read to the reply written (ended by #queue); what goes to a service is its child.
    const span = startSpan("sip2", { kind: SpanKind.SERVER, startTime: received });
    try {
      await inSpanContext(span, () => this.#acceptUnsafe(raw, received, terminator, span));
    } catch (err) {
      // A bug must still not leave the kiosk without an answer.
      this.#log.error({ err }, "request failed in the gateway");
      spanFailed(span, err);
      this.#queue("??", received, this.#resend96("malformed"), terminator, span);
    }
  }

  async #acceptUnsafe(raw: Uint8Array, received: number, terminator: Terminator | null, span: Span): Promise<void> {
    const account = this.#account;
    const codec = { timeZone: account?.timeZone ?? "UTC", charset: account?.charset ?? "ibm850" } as const;
    const parsed = parseRequest(raw, codec);
    const code = parsed.ok ? parsed.message.code : (parsed.error.messageCode ?? "??");
    if (tracingEnabled()) {
      span.updateName(`sip2 ${code}`);
      span.setAttribute("sip2.message_code", code);
      // The account in use, never a 93's fields: a mangled login can carry the password in CN.
      if (account) span.setAttribute("sip2.account", account.login);
    }
    if (parsed.checksum === "invalid") {
      this.#log.info({ message: code }, "bad checksum answered 96");
      return this.#queue(code, received, this.#resend96("bad_checksum"), terminator, span);
    }
    if (!parsed.ok) {
      this.#log.info({ error: parsed.error.code, message: code }, "unreadable request answered 96");
      return this.#queue(code, received, this.#resend96("malformed"), terminator, span);
    }
    const request = parsed.message;
    const named = request.code === "93" ? (this.deps.accounts.get(request.loginUserId)?.account ?? account) : account;
    if (parsed.checksum === "absent" && named?.requireErrorDetection && request.code !== "97") {
      return this.#queue(code, received, this.#resend96("bad_checksum"), terminator, span);
    }
    // Echo the trailer: AY as sent, AZ whenever the request had one.
    const trailer: Pick<EncodeOptions, "sequence" | "errorDetection"> =
      parsed.checksum === "valid" ? { errorDetection: true, ...(parsed.sequence !== null ? { sequence: parsed.sequence } : {}) } : {};
    if (account) this.deps.metrics.terminalSeen(account.login, new Date(received));
    switch (request.code) {
      case "97":
        return this.#queue(code, received, RESEND, terminator, span);
      case "93":
        return this.#queue(code, received, await this.#login(request, trailer, parsed.warnings.length === 0), terminator, span);
      case "99": {
        if (account) this.deps.metrics.scStatus(account.login, request.statusCode);
        this.terminal.status(request.statusCode, received);
        const allowed = account && (this.#loggedIn || account.scStatusBeforeLogin) ? account : undefined;
        const status = acsStatus(allowed, this.#location, this.deps.health.online(), new Date(received));
        return this.#queue(code, received, this.#encode(status, account, trailer, "local"), terminator, span);
      }
      default:
        return this.#queue(code, received, this.#routed(request, raw, received, trailer), terminator, span);
    }
  }

  #routed(
    request: RoutedRequest,
    raw: Uint8Array,
    received: number,
    trailer: Pick<EncodeOptions, "sequence" | "errorDetection">,
  ): Promise<Reply> {
    const account = this.#account ?? NOBODY;
    const ctx: TerminalContext = { account, location: this.#location, now: new Date(received) };
    return this.deps.routed.answer(request, raw, ctx, { timeZone: account.timeZone, charset: account.charset, ...trailer }, this.#history);
  }

  /**
   * `clean`: the 93 parsed without a warning. Only then, and only when it names an account, is
   * the login name logged: a mangled separator ("CNkiosk1COsecret|") puts the password into CN.
   */
  async #login(request: LoginRequest, trailer: Pick<EncodeOptions, "sequence" | "errorDetection">, clean: boolean): Promise<Reply> {
    const address = this.conn.remoteAddress ?? "";
    const loaded = this.deps.accounts.get(request.loginUserId);
    const log = clean && loaded ? this.#log.child({ terminal: loaded.account.login }) : this.#log;
    if (this.deps.throttle.isLocked(address)) {
      log.warn("login refused: too many failed logins from this address");
      return this.#encode({ code: "94", ok: false }, this.#account, trailer, "refused");
    }
    const ok =
      loaded !== undefined &&
      request.uidAlgorithm === "0" &&
      request.pwdAlgorithm === "0" &&
      mayConnectFrom(loaded, address) &&
      (await this.#passwordAccepted(loaded.account, request.loginPassword));
    if (!ok || !loaded) {
      this.deps.throttle.recordFailure(address);
      log.warn({ known: loaded !== undefined }, "login refused");
      return this.#encode({ code: "94", ok: false }, this.#account, trailer, "refused");
    }
    this.deps.throttle.recordSuccess(address);
    // Checked after the password, so a refusal says nothing about the account to a guesser; not
    // counted as a failure, so a kiosk still set up for it does not lock out its address.
    if (!loaded.account.active) {
      log.warn("login refused: account switched off");
      return this.#encode({ code: "94", ok: false }, this.#account, trailer, "refused");
    }
    const location = request.locationCode || loaded.account.location;
    // Another terminal now speaks on this socket: what the previous one sent is not its history.
    const another = loaded.account.login !== this.#account?.login || location !== this.#location;
    this.#account = loaded.account;
    this.#location = location;
    if (another) this.#history = this.#newHistory();
    this.#loggedIn = true;
    log.info({ location: this.#location }, "terminal logged in");
    this.terminal.account(loaded.account, location, "login", Date.now());
    return this.#encode({ code: "94", ok: true }, loaded.account, trailer, "accepted");
  }

  /** The 93 `CO` as the account's `terminalPassword` wants it. */
  #passwordAccepted(account: TerminalAccount, given: string): Promise<boolean> | boolean {
    switch (account.terminalPassword) {
      case "ignored":
        return true;
      case "blank":
        return given === "";
      case "required":
        return this.deps.passwords.verify(given, account.passwordHash);
    }
  }

  #encode(
    response: SipResponse,
    account: TerminalAccount | undefined,
    trailer: Pick<EncodeOptions, "sequence" | "errorDetection">,
    outcome: RequestOutcome,
  ): Reply {
    const codec = { timeZone: account?.timeZone ?? "UTC", charset: account?.charset ?? "ibm850" } as const;
    return { bytes: encodeMessage(response, { ...codec, ...trailer }), outcome };
  }

  #resend96(outcome: RequestOutcome): Reply {
    return { bytes: encodeResend({ timeZone: "UTC" }), outcome };
  }

  /**
   * Appends an answer to the write queue; answers go out in the order they were queued. The
   * ending is fixed now, by the account in use once the request is taken (a 94 by the account
   * it logged in); before any account, the request's own terminator.
   */
  #queue(code: string, received: number, pending: Pending, terminator: Terminator | null, span?: Span): void {
    const ending = replyEnding(this.#account?.replyTerminator ?? "mirror", terminator);
    this.#writes = this.#writes.then(async () => {
      let reply: Reply;
      if (pending === RESEND) {
        // 97 replays whatever went out last, even a 96; 96 when nothing has.
        reply = this.#last ? { bytes: this.#last, outcome: "local" } : this.#resend96("local");
      } else {
        reply = await Promise.resolve(pending).catch((err: unknown) => {
          this.#log.error({ err, message: code }, "answer failed; sending 96");
          return this.#resend96("malformed");
        });
      }
      this.#last = reply.bytes;
      this.conn.write(withEnding(reply.bytes, ending));
      const took = Date.now() - received;
      this.deps.metrics.request(code, reply.outcome, took / 1000);
      this.terminal.answered(code, reply.outcome, received, took);
      span?.setAttribute("sip2.outcome", reply.outcome);
      span?.end();
    });
  }
}
