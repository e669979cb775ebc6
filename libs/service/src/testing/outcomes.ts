import { publishCommand, type ReplySinkServer, startReplySink } from "@circulate/commandbus";
import { type Command, type commands, type common, newCommandEnvelope } from "@circulate/contracts";
import type { ServerCredentials } from "@grpc/grpc-js";
import type { NatsConnection } from "@nats-io/transport-node";

type Outcome = commands.Outcome;

/** How a test command is sent: what the gateway would put in its envelope. */
export interface TestSendOptions {
  commandId?: string;
  terminalTime?: Date;
  /** Time the kiosk waits; 10 s unless `deadline` is given. */
  timeoutMs?: number;
  deadline?: Date;
  /** Publish the same envelope this many times (a redelivery); resolves with every reply. */
  times?: number;
}

/**
 * Plays the gateway for a service under test: a reply sink that keeps every
 * outcome by correlation id (a duplicate delivery is a second entry), and
 * commands published on NATS as the gateway publishes them.
 */
export class GatewayStandIn {
  private readonly replies = new Map<string, { outcomes: Outcome[]; waiters: (() => void)[] }>();

  private constructor(
    private readonly nc: NatsConnection,
    private readonly subjectPrefix: string,
    private readonly terminal: common.Terminal,
    private sink: ReplySinkServer | undefined,
  ) {}

  /** `credentials`: the sink's, when the services deliver over TLS. */
  static async start(nc: NatsConnection, subjectPrefix: string, terminal: common.Terminal, credentials?: ServerCredentials): Promise<GatewayStandIn> {
    const standIn = new GatewayStandIn(nc, subjectPrefix, terminal, undefined);
    standIn.sink = await startReplySink({ onOutcome: (o) => standIn.received(o), ...(credentials ? { credentials } : {}) });
    return standIn;
  }

  /** Where services deliver outcomes (`reply_to`). */
  get address(): string {
    if (this.sink === undefined) throw new Error("the gateway stand-in is closed");
    return this.sink.address;
  }

  /** A command envelope as the gateway builds it. */
  envelope(command: Command, options: TestSendOptions = {}, terminal: common.Terminal = this.terminal): commands.CommandEnvelope {
    const base = { command, terminal, replyTo: this.address, commandId: options.commandId, terminalTime: options.terminalTime };
    return options.deadline
      ? newCommandEnvelope({ ...base, deadline: options.deadline })
      : newCommandEnvelope({ ...base, timeoutMs: options.timeoutMs ?? 10_000 });
  }

  /** Publishes an envelope `times` times and waits for as many replies. */
  async publish(envelope: commands.CommandEnvelope, times = 1): Promise<Outcome[]> {
    const before = this.entry(envelope.correlationId).outcomes.length;
    for (let i = 0; i < times; i++) publishCommand(this.nc, envelope, this.subjectPrefix);
    await this.nc.flush();
    return this.outcomes(envelope.correlationId, before, times);
  }

  /** Sends one command and waits for its reply. */
  async send(command: Command, options: TestSendOptions = {}): Promise<Outcome> {
    const [outcome] = await this.publish(this.envelope(command, options), options.times ?? 1);
    return outcome!;
  }


  /** Waits until `count` outcomes after the first `from` have arrived for a correlation id. */
  async outcomes(correlationId: string, from: number, count: number, timeoutMs = 10_000): Promise<Outcome[]> {
    const entry = this.entry(correlationId);
    const deadline = Date.now() + timeoutMs;
    while (entry.outcomes.length < from + count) {
      if (Date.now() > deadline) throw new Error(`no reply for ${correlationId}`);
      await new Promise<void>((resolve) => {
        entry.waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
    return entry.outcomes.slice(from, from + count);
  }

  async close(): Promise<void> {
    await this.sink?.close();
    this.sink = undefined;
  }

  private received(outcome: Outcome): boolean {
    const entry = this.entry(outcome.correlationId);
    entry.outcomes.push(outcome);
    for (const wake of entry.waiters.splice(0)) wake();
    return true;
  }

  private entry(correlationId: string) {
    let e = this.replies.get(correlationId);
    if (!e) {
      e = { outcomes: [], waiters: [] };
      this.replies.set(correlationId, e);
    }
    return e;
  }
}

/** The accepted payload of an outcome, failing the test with the refusal otherwise. */
export function accepted<C extends string>(outcome: Outcome, $case: C) {
  const result = outcome.result;
  if (result?.$case !== "accepted") throw new Error(`expected acceptance, got ${JSON.stringify(result?.value)}`);
  const payload = result.value.payload;
  if (payload?.$case !== $case) throw new Error(`expected ${$case}, got ${payload?.$case}`);
  return payload.value as Extract<NonNullable<commands.Accepted["payload"]>, { $case: C }>["value"];
}

/** The refusal of an outcome, failing the test on an acceptance. */
export function refused(outcome: Outcome): commands.Refused {
  const result = outcome.result;
  if (result?.$case !== "refused") throw new Error(`expected a refusal, got ${JSON.stringify(result?.value)}`);
  return result.value;
}
