import { type commands, gateway } from "@circulate/contracts";
import * as grpc from "@grpc/grpc-js";

type Outcome = commands.Outcome;

const RECONNECT: grpc.ChannelOptions = {
  "grpc.initial_reconnect_backoff_ms": 100,
  "grpc.min_reconnect_backoff_ms": 100,
  "grpc.max_reconnect_backoff_ms": 1_000,
};

/**
 * Delivers outcomes to the gateway instance named in each command's `reply_to`.
 * One gRPC channel per address, reused: the reply is on every request's hot path.
 */
export class ReplyClient {
  readonly #clients = new Map<string, gateway.Sip2ReplySinkClient>();

  constructor(private readonly credentials: grpc.ChannelCredentials = grpc.credentials.createInsecure()) {}

  /**
   * Resolves `true` when a request was still waiting for this outcome. Waits
   * for the gateway to be reachable until the timeout: a gateway that has just
   * restarted is answered, not given up on while the channel is between
   * reconnect attempts (its kiosk's resend is waiting for exactly this outcome).
   */
  deliver(address: string, outcome: Outcome, timeoutMs = 2_000): Promise<boolean> {
    const client = this.#client(address);
    return new Promise((resolve, reject) => {
      client.deliver({ outcome }, new grpc.Metadata({ waitForReady: true }), { deadline: Date.now() + timeoutMs }, (err, res) =>
        err ? reject(err) : resolve(res.delivered),
      );
    });
  }

  close(): void {
    for (const c of this.#clients.values()) c.close();
    this.#clients.clear();
  }

  #client(address: string): gateway.Sip2ReplySinkClient {
    let client = this.#clients.get(address);
    if (!client) {
      // Gateways restart in seconds on the same address: retry the connection as fast, not after grpc's default minutes.
      client = new gateway.Sip2ReplySinkClient(address, this.credentials, RECONNECT);
      this.#clients.set(address, client);
    }
    return client;
  }
}

export interface ReplySinkServer {
  /** host:port to advertise as `reply_to`. */
  address: string;
  close(): Promise<void>;
}

/**
 * The gateway's side: a gRPC server receiving outcomes. `onOutcome` returns
 * whether a request was still waiting (false for late or duplicate deliveries).
 */
export async function startReplySink(options: {
  host?: string;
  port?: number;
  onOutcome: (outcome: Outcome) => boolean;
  /** Plain text unless given (see `grpcCredentials`). */
  credentials?: grpc.ServerCredentials;
}): Promise<ReplySinkServer> {
  const server = new grpc.Server();
  server.addService(gateway.Sip2ReplySinkService, {
    deliver: (call: grpc.ServerUnaryCall<gateway.DeliverRequest, gateway.DeliverResponse>, cb: grpc.sendUnaryData<gateway.DeliverResponse>) => {
      const outcome = call.request.outcome;
      if (!outcome) return cb({ code: grpc.status.INVALID_ARGUMENT, details: "outcome missing" });
      cb(null, { delivered: options.onOutcome(outcome) });
    },
  } satisfies gateway.Sip2ReplySinkServer);
  const host = options.host ?? "127.0.0.1";
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${host}:${options.port ?? 0}`, options.credentials ?? grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    ),
  );
  return {
    address: `${host.includes(":") ? `[${host}]` : host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.tryShutdown(() => resolve());
      }),
  };
}
