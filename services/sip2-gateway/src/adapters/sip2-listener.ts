import net from "node:net";
import tls from "node:tls";
import type { Logger } from "pino";
import { type Fleet, NO_OBSERVER } from "../app/fleet.js";
import type { GatewayMetrics } from "../app/ports.js";
import { Session, type SessionDeps } from "../app/session.js";

export interface ListenerOptions {
  name: "tcp" | "tls";
  host: string;
  port: number;
  /** TLS only: certificate, key, and the CA that signs client certificates (mTLS). */
  tls?: { cert: Buffer; key: Buffer; ca?: Buffer; requireClientCert: boolean };
  idleTimeoutMs: number;
  deps: SessionDeps;
  metrics: GatewayMetrics;
  logger: Logger;
  /** Publishes every connection to the fleet view; none in tests that do not look at it. */
  fleet?: Fleet | undefined;
}

export interface Listener {
  readonly name: string;
  /** host:port actually bound. */
  readonly address: string;
  readonly port: number;
  connections(): number;
  /** Closes, once they have written what they owe, the sessions of these logins; how many. */
  closeSessionsOf(logins: ReadonlySet<string>): number;
  /** Stop accepting, let every session write what it owes, then close the sockets. */
  close(): Promise<void>;
}

/** A SIP2 listener, plain TCP or TLS: one Session per connection. */
export async function startListener(options: ListenerOptions): Promise<Listener> {
  const { name, logger, metrics } = options;
  const sessions = new Map<net.Socket, Session>();

  const onConnection = (socket: net.Socket) => {
    const remoteAddress = socket.remoteAddress;
    // A TLS server hands over the socket after the handshake, so the protocol is known here.
    const tlsProtocol = socket instanceof tls.TLSSocket ? socket.getProtocol() : undefined;
    const terminal = options.fleet?.open({ listener: name, remoteAddress, tlsProtocol }) ?? NO_OBSERVER;
    const session = new Session(
      {
        remoteAddress,
        write: (bytes) => {
          // One write per message: some kiosks do a single short read (reference P22).
          if (!socket.destroyed && socket.writable) socket.write(bytes);
        },
      },
      options.deps,
      terminal,
    );
    sessions.set(socket, session);
    metrics.connectionOpened(name);
    socket.setNoDelay(true);
    socket.setTimeout(options.idleTimeoutMs);
    socket.on("timeout", () => {
      logger.info({ remote: remoteAddress, terminal: session.account?.login }, "idle connection closed");
      void session.drain().then(() => socket.end(() => socket.destroy()));
    });
    socket.on("data", (chunk: Buffer) => session.receive(chunk));
    socket.on("error", (err) => logger.debug({ err, remote: remoteAddress }, "connection error"));
    socket.on("close", () => {
      sessions.delete(socket);
      metrics.connectionClosed(name);
      terminal.closed(Date.now());
    });
  };

  const server = options.tls
    ? tls.createServer(
        {
          cert: options.tls.cert,
          key: options.tls.key,
          ...(options.tls.ca ? { ca: options.tls.ca } : {}),
          requestCert: options.tls.requireClientCert,
          rejectUnauthorized: options.tls.requireClientCert,
        },
        onConnection,
      )
    : net.createServer(onConnection);
  server.on("tlsClientError", (err) => logger.info({ err: err.message }, "TLS handshake failed"));
  server.maxConnections = 10_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const bound = server.address() as net.AddressInfo;
  logger.info({ listener: name, host: bound.address, port: bound.port }, "SIP2 listener started");
  return {
    name,
    address: `${bound.address.includes(":") ? `[${bound.address}]` : bound.address}:${bound.port}`,
    port: bound.port,
    connections: () => sessions.size,
    closeSessionsOf: (logins) => {
      let closed = 0;
      for (const [socket, session] of sessions) {
        const login = session.account?.login;
        if (login === undefined || !logins.has(login)) continue;
        closed++;
        socket.pause();
        void session.drain().then(() => socket.end(() => socket.destroy()));
      }
      return closed;
    },
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all(
        [...sessions].map(async ([socket, session]) => {
          socket.pause();
          await session.drain();
          // Flush what is owed, then close without waiting for the kiosk's side.
          socket.end(() => socket.destroy());
        }),
      );
      await closed;
    },
  };
}
