import type { Terminal } from "./gen/library/common/v1/common.js";
import { CommandEnvelope } from "./gen/library/commands/v1/envelope.js";
import { type Accepted, Outcome } from "./gen/library/commands/v1/outcome.js";
import { RefusalReason, Refused } from "./gen/library/commands/v1/refusal.js";
import { uuidv7 } from "./ids.js";
import { assertSubjectPrefix, DEFAULT_SUBJECT_PREFIX, type ServiceName } from "./subjects.js";

/** The domain command inside an envelope: `{ $case: "checkOutItem", value: CheckOutItem }`. */
export type Command = NonNullable<CommandEnvelope["command"]>;
/** Name of a command case, e.g. `"checkOutItem"`. */
export type CommandCase = Command["$case"];
/** The command message type of one case. */
export type CommandOf<C extends CommandCase> = Extract<Command, { $case: C }>["value"];

/** The payload of an accepted outcome: `{ $case: "checkOutItem", value: CheckOutItemAccepted }`. */
export type AcceptedPayload = NonNullable<Accepted["payload"]>;
/** Name of an accepted-payload case; the same names as {@link CommandCase}. */
export type AcceptedCase = AcceptedPayload["$case"];
/** The accepted payload type that answers one command case. */
export type AcceptedOf<C extends AcceptedCase> = Extract<AcceptedPayload, { $case: C }>["value"];

/** Where a command goes: the owning service and the command's subject token. */
export interface CommandRoute {
  /** Service that decides the command. */
  readonly service: ServiceName;
  /** Last subject token: the protobuf message name of the command. */
  readonly command: string;
  /**
   * A query reads and changes nothing: it is answered fresh every time and
   * never replayed. A transaction changes state, is applied once per command
   * id, and its retries get the recorded outcome.
   */
  readonly kind: "query" | "transaction";
}

/**
 * Owning service and subject token of every command case (ARCHITECTURE §2).
 * A new case in CommandEnvelope fails to compile until it is routed here.
 */
export const commandRoutes = {
  getPatronStatus: { service: "patron", command: "GetPatronStatus", kind: "query" },
  getPatronInformation: { service: "patron", command: "GetPatronInformation", kind: "query" },
  blockPatron: { service: "patron", command: "BlockPatron", kind: "transaction" },
  enablePatron: { service: "patron", command: "EnablePatron", kind: "transaction" },
  endPatronSession: { service: "patron", command: "EndPatronSession", kind: "query" },
  checkOutItem: { service: "loan", command: "CheckOutItem", kind: "transaction" },
  checkInItem: { service: "loan", command: "CheckInItem", kind: "transaction" },
  renewItem: { service: "loan", command: "RenewItem", kind: "transaction" },
  renewAll: { service: "loan", command: "RenewAll", kind: "transaction" },
  placeHold: { service: "hold", command: "PlaceHold", kind: "transaction" },
  cancelHold: { service: "hold", command: "CancelHold", kind: "transaction" },
  changeHold: { service: "hold", command: "ChangeHold", kind: "transaction" },
  payFee: { service: "fee", command: "PayFee", kind: "transaction" },
  getItemInformation: { service: "item", command: "GetItemInformation", kind: "query" },
  updateItemStatus: { service: "item", command: "UpdateItemStatus", kind: "transaction" },
} as const satisfies Record<CommandCase, CommandRoute>;

/**
 * `<prefix>.cmd.<service>.<Command>` for a command case or an envelope,
 * e.g. `circ.cmd.loan.CheckOutItem`.
 */
export function commandSubject(
  command: CommandCase | Pick<CommandEnvelope, "command">,
  prefix: string = DEFAULT_SUBJECT_PREFIX,
): string {
  assertSubjectPrefix(prefix);
  const name = typeof command === "string" ? command : command.command?.$case;
  if (name === undefined) throw new TypeError("command envelope has no command");
  const route: CommandRoute | undefined = commandRoutes[name];
  if (route === undefined) throw new TypeError(`unknown command case ${JSON.stringify(name)}`);
  return `${prefix}.cmd.${route.service}.${route.command}`;
}

/** Input of {@link newCommandEnvelope}. Give either `timeoutMs` or `deadline`. */
export type NewCommandEnvelope = {
  /** The domain command, e.g. `{ $case: "checkOutItem", value: CheckOutItem.fromPartial({...}) }`. */
  command: Command;
  /** Terminal that sent the request. */
  terminal: Terminal;
  /** The gateway's advertised gRPC address for the reply. */
  replyTo: string;
  /** Institution; defaults to the terminal's. */
  institutionId?: string;
  /** Idempotency key; defaults to a new UUIDv7. Derive it from the request to make retries idempotent. */
  commandId?: string;
  /** Correlation id; defaults to the command id. */
  correlationId?: string;
  /** The terminal's own transaction time (SIP2 transaction date). */
  terminalTime?: Date;
  /** Issue time; defaults to now. */
  now?: Date;
  /** W3C trace context of the issuing span (`traceparent`, `tracestate` values); omitted when not tracing. */
  trace?: { traceparent?: string; tracestate?: string };
} & ({ timeoutMs: number; deadline?: never } | { deadline: Date; timeoutMs?: never });

/** Builds a command envelope with ids, issue time and deadline filled in. */
export function newCommandEnvelope(input: NewCommandEnvelope): CommandEnvelope {
  const now = input.now ?? new Date();
  let deadline: Date;
  if (input.deadline !== undefined) {
    deadline = input.deadline;
  } else {
    if (!Number.isFinite(input.timeoutMs) || input.timeoutMs <= 0) {
      throw new RangeError(`timeoutMs must be a positive number, got ${input.timeoutMs}`);
    }
    deadline = new Date(now.getTime() + input.timeoutMs);
  }
  const commandId = input.commandId ?? uuidv7(now.getTime());
  return CommandEnvelope.create({
    commandId,
    correlationId: input.correlationId ?? commandId,
    institutionId: input.institutionId ?? input.terminal.institutionId,
    terminal: input.terminal,
    issuedAt: now,
    deadline,
    replyTo: input.replyTo,
    terminalTime: input.terminalTime,
    traceparent: input.trace?.traceparent ?? "",
    tracestate: input.trace?.tracestate ?? "",
    command: input.command,
  });
}

/**
 * True when the command must be dropped unapplied: `now` is at or past its
 * deadline. An envelope without a deadline counts as past (fail safe: a
 * command whose validity cannot be established is never applied).
 */
export function isPastDeadline(envelope: Pick<CommandEnvelope, "deadline">, now: Date = new Date()): boolean {
  const deadline = envelope.deadline;
  if (deadline === undefined || Number.isNaN(deadline.getTime())) return true;
  return now.getTime() >= deadline.getTime();
}

/** Milliseconds left before the deadline (0 when past or missing); use it as the budget of downstream calls. */
export function deadlineRemainingMs(envelope: Pick<CommandEnvelope, "deadline">, now: Date = new Date()): number {
  if (isPastDeadline(envelope, now)) return 0;
  return envelope.deadline!.getTime() - now.getTime();
}

/** Kept back from a command's deadline for the caller's own commit after its peers have answered. */
export const PEER_COMMIT_RESERVE_MS = 250;

/**
 * Milliseconds a peer called on behalf of a command may take: the command's
 * remaining time less a reserve for the caller's own commit (half of what is
 * left when that is short). A peer that uses the command's whole budget can
 * commit its side (a trap, a wrong-PIN count) at the very moment the caller
 * then has to drop the command, and the kiosk is told no for half a change.
 */
export function peerBudgetMs(envelope: Pick<CommandEnvelope, "deadline">, now: Date = new Date()): number {
  const left = deadlineRemainingMs(envelope, now);
  return left > 2 * PEER_COMMIT_RESERVE_MS ? left - PEER_COMMIT_RESERVE_MS : Math.floor(left / 2);
}

type OutcomeIds = Pick<CommandEnvelope, "commandId" | "correlationId">;

/** An accepted outcome answering `envelope`. */
export function acceptedOutcome(envelope: OutcomeIds, payload: AcceptedPayload, decidedAt: Date = new Date()): Outcome {
  return Outcome.create({
    commandId: envelope.commandId,
    correlationId: envelope.correlationId,
    decidedAt,
    result: { $case: "accepted", value: { payload } },
  });
}

/** Data a refusal may carry besides its reason and log detail. */
export type RefusalExtras = Partial<Omit<Refused, "reason" | "detail">>;

/**
 * A refused outcome answering `envelope`. `detail` is for logs only: it is
 * never shown to kiosks and must not contain PINs.
 */
export function refusedOutcome(
  envelope: OutcomeIds,
  reason: RefusalReason,
  detail: string,
  extras: RefusalExtras = {},
  decidedAt: Date = new Date(),
): Outcome {
  return Outcome.create({
    commandId: envelope.commandId,
    correlationId: envelope.correlationId,
    decidedAt,
    result: { $case: "refused", value: Refused.create({ ...extras, reason, detail }) },
  });
}

/**
 * Refusals that say nothing about the request itself, only that it was not decided (in time,
 * or at all): they answer the attempt they were sent for, never another attempt of the same
 * command, and a retry must ask again rather than have them replayed.
 */
export function isTransientRefusal(reason: RefusalReason): boolean {
  return reason === RefusalReason.BACKEND_UNAVAILABLE || reason === RefusalReason.DEADLINE_EXCEEDED;
}

/** The outcome answers only the attempt (correlation id) it was decided for: a transient refusal. */
export function answersOnlyItsAttempt(outcome: Outcome): boolean {
  return outcome.result?.$case === "refused" && isTransientRefusal(outcome.result.value.reason);
}

/**
 * True when `outcome` answers `envelope`: the same command, and an accepted payload of the same
 * case as the command (refusals fit any command). A decision answers every attempt of its
 * command — a kiosk re-sending after its gateway died is told what an earlier attempt decided —
 * while a transient refusal answers only its own attempt.
 */
export function outcomeAnswers(envelope: CommandEnvelope, outcome: Outcome): boolean {
  if (outcome.commandId !== envelope.commandId) return false;
  if (outcome.correlationId !== envelope.correlationId && answersOnlyItsAttempt(outcome)) return false;
  const result = outcome.result;
  if (result === undefined) return false;
  if (result.$case === "refused") return true;
  return result.value.payload !== undefined && result.value.payload.$case === envelope.command?.$case;
}
