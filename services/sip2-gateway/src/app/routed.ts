import { type CommandCase, type commands, commandRoutes, isTransientRefusal, newCommandEnvelope, outcomeAnswers, uuidv7 } from "@circulate/contracts";
import { type EncodeOptions, encodeMessage, type SipResponse } from "@circulate/sip2";
import { currentTraceHeaders, SpanKind, startSpan, tracingEnabled } from "@circulate/runtime";
import type { Logger } from "pino";
import { judgeRetry, type LastRequest, requestDigest } from "../domain/retry.js";
import type { TerminalContext } from "../domain/terminal.js";
import type { Dispatcher } from "./dispatcher.js";
import type { BackendHealth, RequestOutcome } from "./ports.js";
import type { CachedAnswer, ResponseCache } from "./response-cache.js";
import type { ConnectionHistory, TerminalHistory } from "./terminal-history.js";
import type { RoutedRequest, Translator } from "./translator.js";

/** An encoded response and how the request ended. */
export interface Reply {
  readonly bytes: Uint8Array;
  readonly outcome: RequestOutcome;
}

export interface RoutedDeps {
  dispatcher: Dispatcher;
  health: BackendHealth;
  cache: ResponseCache;
  /** Each terminal's last routed request, shared by every replica. */
  terminals: TerminalHistory;
  translator: Translator;
  logger: Logger;
  /** gRPC address of this gateway's reply sink, sent as reply_to. */
  replyTo: () => string;
  /** Kept back from the account timeout for encoding and writing the answer. */
  replyMarginMs: number;
  /**
   * Kept back from the answer for the service's commit and its delivery to us:
   * the command's deadline is this much earlier, so an outcome committed just
   * before the deadline still arrives before the kiosk is answered.
   */
  commitReserveMs: number;
}

/** 96: the last resort when no response of the matching type can be built (a bug, logged). */
export function encodeResend(encode: EncodeOptions): Uint8Array {
  return encodeMessage({ code: "96" }, { timeZone: encode.timeZone, charset: encode.charset, errorDetection: true });
}

/** `publish <Command>` for each command case, named once. */
const PUBLISH_SPANS = Object.fromEntries(Object.entries(commandRoutes).map(([c, r]) => [c, `publish ${r.command}`])) as Record<CommandCase, string>;

/** The command a request is sent as: a new one, or the one a retry repeats. */
interface Sending {
  readonly commandId: string;
  readonly retry: boolean;
}

/**
 * Requests answered by a service (every code but 93, 99, 97): translate, answer
 * locally or send on, wait within the account's timeout, render. Always
 * resolves with a well-formed response of the matching type.
 *
 * A transaction sent again as the terminal's next request within its retry
 * budget is a retry: it goes out under the first attempt's command id, so the
 * service answers from its record of the outcome instead of acting again (and
 * a retry this replica already has the answer to is answered from memory).
 * Anything else is new, whatever its bytes. Queries are always asked afresh.
 */
export class RoutedRequests {
  constructor(private readonly deps: RoutedDeps) {}

  async answer(
    request: RoutedRequest,
    raw: Uint8Array,
    ctx: TerminalContext,
    encode: EncodeOptions,
    history: ConnectionHistory,
  ): Promise<Reply> {
    const { translator, cache } = this.deps;
    const seen: LastRequest = { digest: requestDigest(raw), commandId: "", at: ctx.now.getTime() };
    const terminal = history.terminal;
    let translation: ReturnType<Translator["translateRequest"]>;
    try {
      translation = translator.translateRequest(request, ctx);
    } catch (err) {
      this.deps.logger.error({ err, message: request.code }, "request could not be translated");
      this.#remember(history, terminal, seen);
      return this.#unavailable(request, ctx, encode, "unavailable");
    }
    if (translation.kind === "answer") {
      // Refused here, but still the terminal's latest request: the same bytes next are new.
      this.#remember(history, terminal, seen);
      return { bytes: this.#encode(translation.response, request, ctx, encode), outcome: "denied" };
    }
    const command = translation.command;
    if (commandRoutes[command.$case].kind === "query") {
      this.#remember(history, terminal, seen);
      const { bytes, outcome } = await this.#ask(command, { commandId: uuidv7(), retry: false }, translation.terminalTime, request, ctx, encode);
      return { bytes, outcome };
    }
    let sending: Sending;
    // Without NATS the history cannot be asked and nothing can be sent: refuse now, not at the timeout.
    if (!this.deps.health.natsConnected()) return this.#unavailable(request, ctx, encode, "unavailable");
    try {
      sending = await this.#sendAs(history, terminal, seen, ctx.account.retryBudgetMs);
    } catch (err) {
      // Without the history a resent transaction could be taken for new: ask nothing.
      this.deps.logger.warn({ err, message: request.code }, "terminal history unavailable; request refused unsent");
      return this.#unavailable(request, ctx, encode, "unavailable");
    }
    if (sending.retry) {
      const hit = cache.get(sending.commandId);
      if (hit) return { bytes: (await hit).bytes, outcome: "cached" };
    }
    const answer = this.#ask(command, sending, translation.terminalTime, request, ctx, encode);
    cache.put(sending.commandId, answer, ctx.account.retryBudgetMs);
    const { bytes, outcome } = await answer;
    return { bytes, outcome };
  }

  /**
   * Decides, in the connection's arrival order, whether a transaction is a
   * retry, and stores the decision before anything is sent: a gateway that
   * dies after sending still leaves the command id for the kiosk's resend.
   */
  #sendAs(history: ConnectionHistory, terminal: string, seen: LastRequest, budgetMs: number): Promise<Sending> {
    let sending: Sending | undefined;
    return history
      .inOrder(async () => {
        // This connection's own last request is exact; a fresh connection asks what the terminal sent last anywhere.
        const previous = history.started ? history.last : await this.deps.terminals.last(terminal);
        const verdict = judgeRetry(previous, seen.digest, seen.at, budgetMs);
        const next = verdict.retry ? verdict.of : { ...seen, commandId: uuidv7(seen.at) };
        history.last = next;
        history.started = true;
        sending = { commandId: next.commandId, retry: verdict.retry };
        if (!verdict.retry) {
          history.nothingToReplayStored = false;
          await this.deps.terminals.record(terminal, next);
        }
      })
      .then(() => sending!);
  }

  /**
   * A query or a local refusal becomes the terminal's latest request; not waited
   * for (nothing depends on it being stored). After another one, the stored entry
   * already says "nothing to replay", so it is not written again.
   */
  #remember(history: ConnectionHistory, terminal: string, seen: LastRequest): void {
    history
      .inOrder(async () => {
        history.last = seen;
        history.started = true;
        if (history.nothingToReplayStored) return;
        await this.deps.terminals.record(terminal, seen);
        history.nothingToReplayStored = true;
      })
      .catch((err: unknown) => this.deps.logger.warn({ err }, "terminal history not updated"));
  }

  async #ask(
    command: NonNullable<commands.CommandEnvelope["command"]>,
    sending: Sending,
    terminalTime: Date | undefined,
    request: RoutedRequest,
    ctx: TerminalContext,
    encode: EncodeOptions,
  ): Promise<CachedAnswer & Reply> {
    const { dispatcher, health, translator, replyMarginMs, commitReserveMs } = this.deps;
    const service = commandRoutes[command.$case].service;
    // A retry may be of a transaction already applied: ask even a service that looks down, its record is the truth.
    const sendable = sending.retry ? health.natsConnected() : health.canTake(service);
    if (!sendable) return { ...this.#unavailable(request, ctx, encode, "unavailable"), keep: false };
    const received = ctx.now.getTime();
    const answerBy = received + ctx.account.timeoutMs - replyMarginMs;
    // The service must give up before we do, so a kiosk told "timed out" never
    // finds the transaction applied: its outcome would arrive after our answer.
    const deadline = new Date(answerBy - Math.max(replyMarginMs, commitReserveMs));
    // Publish to outcome: the service's `handle` span is its child, through the envelope's trace context.
    const span = startSpan(PUBLISH_SPANS[command.$case], { kind: SpanKind.PRODUCER });
    const envelope = newCommandEnvelope({
      command,
      terminal: { account: ctx.account.login, institutionId: ctx.account.institutionId, location: ctx.location },
      replyTo: this.deps.replyTo(),
      commandId: sending.commandId,
      // Each attempt has its own correlation id, so a late answer to an earlier attempt cannot answer this one.
      correlationId: uuidv7(received),
      terminalTime,
      now: ctx.now,
      deadline,
      trace: currentTraceHeaders(span),
    });
    const outcome = await dispatcher.send(envelope, answerBy);
    if (tracingEnabled()) {
      span.setAttribute("circulate.command_id", envelope.commandId);
      span.setAttribute("circulate.retry", sending.retry);
      span.setAttribute("circulate.outcome", typeof outcome === "string" ? outcome : (outcome.result?.$case ?? "none"));
    }
    span.end();
    if (outcome === "timeout" || outcome === "unavailable") {
      return { ...this.#unavailable(request, ctx, encode, outcome === "timeout" ? "timeout" : "unavailable"), keep: false };
    }
    if (!outcomeAnswers(envelope, outcome)) {
      this.deps.logger.error({ message: request.code, commandId: envelope.commandId }, "outcome does not answer the command; not shown to the kiosk");
      return { ...this.#unavailable(request, ctx, encode, "unavailable"), keep: false };
    }
    let response: SipResponse;
    try {
      response = translator.renderOutcome(request, outcome, ctx);
    } catch (err) {
      this.deps.logger.error({ err, message: request.code, commandId: envelope.commandId }, "outcome could not be rendered");
      return { ...this.#unavailable(request, ctx, encode, "unavailable"), keep: false };
    }
    const result = outcome.result;
    const refusedFor = result?.$case === "refused" ? result.value.reason : undefined;
    return {
      bytes: this.#encode(response, request, ctx, encode),
      outcome: result?.$case === "accepted" ? "accepted" : "refused",
      keep: refusedFor === undefined || !isTransientRefusal(refusedFor),
    };
  }

  #unavailable(request: RoutedRequest, ctx: TerminalContext, encode: EncodeOptions, why: "timeout" | "unavailable"): Reply {
    let response: SipResponse | undefined;
    try {
      response = this.deps.translator.renderUnavailable(request, ctx, why);
    } catch (err) {
      this.deps.logger.error({ err, message: request.code }, "refusal could not be rendered");
    }
    return { bytes: response ? this.#encode(response, request, ctx, encode) : encodeResend(encode), outcome: why };
  }

  #encode(response: SipResponse, request: RoutedRequest, ctx: TerminalContext, encode: EncodeOptions): Uint8Array {
    try {
      return encodeMessage(response, encode);
    } catch (err) {
      this.deps.logger.error({ err, message: request.code, response: response.code, terminal: ctx.account.login }, "response could not be encoded");
      return encodeResend(encode);
    }
  }
}
