import {
  assertSubjectPrefix,
  type CommandCase,
  type CommandOf,
  commandRoutes,
  commandSubject,
  commands,
  isPastDeadline,
  refusedOutcome,
  type ServiceName,
  serviceCommandsSubject,
} from "@circulate/contracts";
import type { Msg, NatsConnection, Subscription } from "@nats-io/transport-node";
import { contextFromHeaders, inSpan, type Span, SpanKind, spanFailed } from "@circulate/runtime";
import type { Logger } from "pino";
import type { ReplyClient } from "./reply-sink.js";

type Envelope = commands.CommandEnvelope;
type Outcome = commands.Outcome;

/** Command cases a service owns, from the routing table in the contracts. */
export type CasesOf<S extends ServiceName> = {
  [C in CommandCase]: (typeof commandRoutes)[C]["service"] extends S ? C : never;
}[CommandCase];

export type CommandHandler<C extends CommandCase> = (command: CommandOf<C>, envelope: Envelope) => Promise<Outcome>;

/** One handler per command the service owns: a missing one fails to compile. */
export type CommandHandlers<S extends ServiceName> = { [C in CasesOf<S>]: CommandHandler<C> };

export interface ServeCommandsOptions<S extends ServiceName> {
  nc: NatsConnection;
  service: S;
  prefix: string;
  handlers: CommandHandlers<S>;
  replies: ReplyClient;
  logger: Logger;
  now?: () => Date;
  /**
   * Whether this replica can do work now (its database reachable). While false it leaves health
   * pings unanswered, so gateways refuse at once (and 98 says off-line) instead of sending
   * commands that can only fail. Default: always.
   */
  ready?: () => boolean;
}

export interface CommandServer {
  /** Commands being handled right now. */
  inFlight(): number;
  /** Stop taking commands, finish the ones in flight. */
  drain(): Promise<void>;
}

/**
 * Takes the service's commands from a NATS queue group (replicas share the
 * load), drops those past their deadline unapplied, runs the handler and
 * delivers its outcome to the gateway named in `reply_to`. Infrastructure
 * failures become a BACKEND_UNAVAILABLE refusal so the kiosk still gets a
 * well-formed answer.
 */
export function serveCommands<S extends ServiceName>(options: ServeCommandsOptions<S>): CommandServer {
  const { nc, service, prefix, replies, logger } = options;
  const now = options.now ?? (() => new Date());
  const handlers = options.handlers as unknown as Record<string, CommandHandler<CommandCase>>;
  const inFlight = new Set<Promise<void>>();
  const spanNames: Record<string, string> = Object.fromEntries(
    Object.entries(commandRoutes).map(([c, route]) => [c, `handle ${route.command}`]),
  );

  const handle = async (msg: Msg): Promise<void> => {
    let envelope: Envelope;
    try {
      envelope = commands.CommandEnvelope.decode(msg.data);
    } catch (err) {
      logger.warn({ err, subject: msg.subject }, "undecodable command dropped");
      return;
    }
    const name = spanNames[envelope.command?.$case ?? ""] ?? "handle command";
    // The gateway's span is the parent: one trace from the kiosk's socket to this reply.
    await inSpan(name, (span) => decideAndReply(envelope, span), { kind: SpanKind.CONSUMER, parent: contextFromHeaders(envelope) });
  };

  const decideAndReply = async (envelope: Envelope, span: Span): Promise<void> => {
    const log = logger.child({ commandId: envelope.commandId, correlationId: envelope.correlationId, command: envelope.command?.$case });
    span.setAttribute("circulate.command_id", envelope.commandId);
    span.setAttribute("circulate.correlation_id", envelope.correlationId);
    let outcome: Outcome;
    if (isPastDeadline(envelope, now())) {
      log.warn("command past its deadline dropped unapplied");
      outcome = refusedOutcome(envelope, commands.RefusalReason.DEADLINE_EXCEEDED, "deadline passed before the command was taken");
    } else {
      const command = envelope.command;
      const handler = command ? handlers[command.$case] : undefined;
      if (!command || !handler || commandRoutes[command.$case].service !== service) {
        log.warn("command not handled by this service");
        outcome = refusedOutcome(envelope, commands.RefusalReason.INVALID_REQUEST, `not a ${service} command`);
      } else {
        try {
          outcome = await handler(command.value, envelope);
        } catch (err) {
          log.error({ err }, "command failed");
          spanFailed(span, err);
          outcome = refusedOutcome(envelope, commands.RefusalReason.BACKEND_UNAVAILABLE, "command failed in the service");
        }
      }
    }
    traceOutcome(span, outcome);
    if (!envelope.replyTo) return;
    // A recorded outcome carries the ids of the attempt that decided it; answer this attempt.
    outcome = { ...outcome, commandId: envelope.commandId, correlationId: envelope.correlationId };
    const answer = outcome;
    await inSpan(
      "deliver outcome",
      async (delivery) => {
        try {
          const delivered = await replies.deliver(envelope.replyTo, answer);
          delivery.setAttribute("circulate.delivered", delivered);
          if (!delivered) log.info("outcome arrived after the gateway stopped waiting");
        } catch (err) {
          spanFailed(delivery, err);
          log.warn({ err, replyTo: envelope.replyTo }, "outcome could not be delivered");
        }
      },
      { kind: SpanKind.CLIENT },
    );
  };

  // Health probe for gateways: answered by whichever replica is up, so "no
  // responders" means no replica of the service is taking commands.
  const ping: Subscription = nc.subscribe(pingSubject(service, prefix), {
    queue: `${prefix}.${service}.ping`,
    callback: (err, msg) => {
      if (!err && (options.ready?.() ?? true)) msg.respond();
    },
  });

  const sub: Subscription = nc.subscribe(serviceCommandsSubject(service, prefix), {
    queue: `${prefix}.${service}`,
    callback: (err, msg) => {
      if (err) return logger.error({ err }, "command subscription failed");
      const p = handle(msg).finally(() => inFlight.delete(p));
      inFlight.add(p);
    },
  });

  return {
    inFlight: () => inFlight.size,
    drain: async () => {
      await ping.drain();
      await sub.drain();
      await Promise.allSettled([...inFlight]);
    },
  };
}

/** The outcome on the command's span: accepted, replayed, or the refusal's reason. */
function traceOutcome(span: Span, outcome: Outcome): void {
  const result = outcome.result;
  span.setAttribute("circulate.outcome", result?.$case ?? "none");
  if (result?.$case === "refused") span.setAttribute("circulate.refusal", result.value.reason);
  if (outcome.replayed) span.setAttribute("circulate.replayed", true);
}

/** The gateway's side: publish an envelope on its command subject. */
export function publishCommand(nc: NatsConnection, envelope: Envelope, prefix: string): void {
  nc.publish(commandSubject(envelope, prefix), commands.CommandEnvelope.encode(envelope).finish());
}

/** `<prefix>.ping.<service>`: the health probe subject {@link serveCommands} answers. */
export function pingSubject(service: ServiceName, prefix: string): string {
  assertSubjectPrefix(prefix);
  return `${prefix}.ping.${service}`;
}

/**
 * Whether some replica of `service` answers a ping within `timeoutMs`: the
 * gateway's view of "this service can take commands right now".
 */
export async function pingService(nc: NatsConnection, service: ServiceName, prefix: string, timeoutMs = 1_000): Promise<boolean> {
  try {
    await nc.request(pingSubject(service, prefix), undefined, { timeout: timeoutMs });
    return true;
  } catch {
    return false;
  }
}
