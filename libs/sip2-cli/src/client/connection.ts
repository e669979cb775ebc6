/**
 * The socket adapter: a TCP or TLS connection to a SIP2 server whose incoming bytes are
 * cut into frames by {@link Sip2Framer}. The only I/O of the client; error detection and
 * resends live in {@link Sip2Client}.
 */
import { readFile } from "node:fs/promises";
import { isIP, type Socket, connect as tcpConnect } from "node:net";
import { connect as tlsConnect } from "node:tls";
import { Sip2Framer } from "@circulate/sip2";

/** TLS settings; file paths are read at connect time. */
export interface TlsOptions {
  /** PEM file with the CA(s) to trust instead of the system store. */
  ca?: string;
  /** PEM client certificate for mutual TLS. */
  cert?: string;
  /** PEM private key of the client certificate. */
  key?: string;
  /** Accept any server certificate (self-signed test servers). */
  insecure: boolean;
}

/** Where and how to connect. */
export interface ConnectOptions {
  host: string;
  port: number;
  /** TLS settings, or false for plain TCP. */
  tls: TlsOptions | false;
  /** Milliseconds allowed for connecting (and the TLS handshake). */
  timeoutMs: number;
}

/** Why the network let us down; the CLI turns it into a non-zero exit. */
export class Sip2NetworkError extends Error {
  override name = "Sip2NetworkError";
  constructor(
    readonly code: "connect_failed" | "timeout" | "closed",
    message: string,
  ) {
    super(message);
  }
}

type Waiter = { resolve: (frame: Uint8Array) => void; reject: (e: Error) => void; timer: NodeJS.Timeout };

/** One open connection to a SIP2 server. */
export class Sip2Connection {
  readonly #socket: Socket;
  readonly #framer = new Sip2Framer();
  readonly #frames: Uint8Array[] = [];
  #waiter: Waiter | undefined;
  #closed: Sip2NetworkError | undefined;

  private constructor(socket: Socket, readonly address: string) {
    this.#socket = socket;
    socket.on("data", (chunk: Buffer) => {
      for (const ev of this.#framer.push(chunk)) if (ev.type === "frame") this.#deliver(ev.bytes);
    });
    socket.on("error", (e) => this.#fail(new Sip2NetworkError("closed", `connection to ${address} failed: ${e.message}`)));
    socket.on("close", () => {
      // A server may send its last response without a terminator and close.
      for (const ev of this.#framer.end()) if (ev.type === "frame") this.#deliver(ev.bytes);
      this.#fail(new Sip2NetworkError("closed", `${address} closed the connection`));
    });
  }

  /** Connects (TCP or TLS); rejects with {@link Sip2NetworkError} `connect_failed` or `timeout`. */
  static async open(opts: ConnectOptions): Promise<Sip2Connection> {
    const address = `${opts.host}:${opts.port}`;
    const socket = opts.tls ? tlsConnect(await tlsSettings(opts, opts.tls)) : tcpConnect({ host: opts.host, port: opts.port });
    socket.setNoDelay(true);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Sip2NetworkError("timeout", `no connection to ${address} within ${opts.timeoutMs} ms`));
      }, opts.timeoutMs);
      const onError = (e: Error) => {
        clearTimeout(timer);
        socket.destroy();
        reject(new Sip2NetworkError("connect_failed", `cannot connect to ${address}: ${e.message}`));
      };
      socket.once("error", onError);
      socket.once(opts.tls ? "secureConnect" : "connect", () => {
        clearTimeout(timer);
        socket.off("error", onError);
        resolve();
      });
    });
    return new Sip2Connection(socket, address);
  }

  /** Writes one message (already framed with its terminator) in one write. */
  async write(bytes: Uint8Array): Promise<void> {
    if (this.#closed) throw this.#closed;
    await new Promise<void>((resolve, reject) => this.#socket.write(bytes, (e) => (e ? reject(e) : resolve())));
  }

  /** The next frame from the server; rejects after `timeoutMs` or when the connection ends. */
  nextFrame(timeoutMs: number): Promise<Uint8Array> {
    const queued = this.#frames.shift();
    if (queued) return Promise.resolve(queued);
    if (this.#closed) return Promise.reject(this.#closed);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiter = undefined;
        reject(new Sip2NetworkError("timeout", `no response from ${this.address} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#waiter = { resolve, reject, timer };
    });
  }

  /** Drops frames nobody asked for yet (late answers to a request that timed out); returns how many. */
  discardPending(): number {
    const n = this.#frames.length;
    this.#frames.length = 0;
    return n;
  }

  /** Whether the connection has ended. */
  get closed(): boolean {
    return this.#closed !== undefined;
  }

  /** Ends the connection politely (FIN), then destroys it. */
  async close(): Promise<void> {
    if (this.#socket.destroyed) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.#socket.destroy();
        resolve();
      }, 1000);
      this.#socket.once("close", () => {
        clearTimeout(timer);
        resolve();
      });
      this.#socket.end();
    });
  }

  #deliver(frame: Uint8Array): void {
    const w = this.#waiter;
    if (!w) {
      this.#frames.push(frame);
      return;
    }
    this.#waiter = undefined;
    clearTimeout(w.timer);
    w.resolve(frame);
  }

  #fail(e: Sip2NetworkError): void {
    this.#closed ??= e;
    const w = this.#waiter;
    if (!w) return;
    this.#waiter = undefined;
    clearTimeout(w.timer);
    w.reject(this.#closed);
  }
}

async function tlsSettings(opts: ConnectOptions, tls: TlsOptions) {
  const read = async (path: string | undefined) => {
    if (!path) return undefined;
    try {
      return await readFile(path);
    } catch (e) {
      throw new Sip2NetworkError("connect_failed", `cannot read ${path}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  const [ca, cert, key] = await Promise.all([read(tls.ca), read(tls.cert), read(tls.key)]);
  return {
    host: opts.host,
    port: opts.port,
    // SNI must be a host name, never an IP address.
    ...(isIP(opts.host) === 0 ? { servername: opts.host } : {}),
    ...(ca ? { ca } : {}),
    ...(cert ? { cert } : {}),
    ...(key ? { key } : {}),
    rejectUnauthorized: !tls.insecure,
  };
}
