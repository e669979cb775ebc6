import { commands, commandRoutes, newCommandEnvelope } from "@circulate/contracts";
import { type EncodeOptions, encodeMessage, type SipResponse } from "@circulate/sip2";
import type { Logger } from "pino";
import { commandIdFor } from "../domain/command-id.js";
import type { TerminalContext } from "../domain/terminal.js";
import type { Dispatcher } from "./dispatcher.js";
import type { BackendHealth, RequestOutcome } from "./ports.js";
import { type CachedAnswer, ResponseCache } from "./response-cache.js";
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
  translator: Translator;
  logger: Logger;
  /** gRPC address of this gateway's reply sink, sent as reply_to. */
  replyTo: () => string;
  /** Kept back from the account timeout for encoding and writing the answer. */
  replyMarginMs: number;
}

/** Refusals that say nothing about the request itself: a retry must ask again, not get them replayed. */
function isTransient(reason: commands.RefusalReason): boolean {
  return reason === commands.RefusalReason.BACKEND_UNAVAILABLE || reason === commands.RefusalReason.DEADLINE_EXCEEDED;
}

/** 96: the last resort when no response of the matching type can be built (a bug, logged). */
export function encodeResend(encode: EncodeOptions): Uint8Array {
  return encodeMessage({ code: "96" }, { timeZone: encode.timeZone, charset: encode.charset, errorDetection: true });
}

/**
 * Requests answered by a service (every code but 93, 99, 97): translate, answer
 * locally or send on (once per re-send window), wait within the account's
 * timeout, render. Always resolves with a well-formed response of the matching type.
 */
export class RoutedRequests {
  constructor(private readonly deps: RoutedDeps) {}

  async answer(request: RoutedRequest, raw: Uint8Array, ctx: TerminalContext, encode: EncodeOptions): Promise<Reply> {
    const { translator, cache } = this.deps;
    let translation: ReturnType<Translator["translateRequest"]>;
    try {
      translation = translator.translateRequest(request, ctx);
    } catch (err) {
      this.deps.logger.error({ err, message: request.code }, "request could not be translated");
      return this.#unavailable(request, ctx, encode, "unavailable");
    }
    if (translation.kind === "answer") return { bytes: this.#encode(translation.response, request, ctx, encode), outcome: "denied" };
    const key = ResponseCache.key(ctx.account.login, raw);
    const hit = cache.get(key);
    if (hit) return { bytes: (await hit).bytes, outcome: "cached" };
    const answer = this.#ask(translation.command, translation.terminalTime, request, raw, ctx, encode);
    cache.put(key, answer);
    const { bytes, outcome } = await answer;
    return { bytes, outcome };
  }

  async #ask(
    command: NonNullable<commands.CommandEnvelope["command"]>,
    terminalTime: Date | undefined,
    request: RoutedRequest,
    raw: Uint8Array,
    ctx: TerminalContext,
    encode: EncodeOptions,
  ): Promise<CachedAnswer & Reply> {
    const { dispatcher, health, translator, replyMarginMs } = this.deps;
    const service = commandRoutes[command.$case].service;
    if (!health.canTake(service)) return { ...this.#unavailable(request, ctx, encode, "unavailable"), keep: false };
    const received = ctx.now.getTime();
    const answerBy = received + ctx.account.timeoutMs - replyMarginMs;
    // The service must give up before we do, so a kiosk told "timed out" never
    // finds the transaction applied: its outcome would arrive after our answer.
    const deadline = new Date(answerBy - replyMarginMs);
    const envelope = newCommandEnvelope({
      command,
      terminal: { account: ctx.account.login, institutionId: ctx.account.institutionId, location: ctx.location },
      replyTo: this.deps.replyTo(),
      commandId: commandIdFor(ctx.account.login, raw),
      terminalTime,
      now: ctx.now,
      deadline,
    });
    const outcome = await dispatcher.send(envelope, answerBy);
    if (outcome === "timeout" || outcome === "unavailable") {
      return { ...this.#unavailable(request, ctx, encode, outcome === "timeout" ? "timeout" : "unavailable"), keep: false };
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
      keep: refusedFor === undefined || !isTransient(refusedFor),
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
