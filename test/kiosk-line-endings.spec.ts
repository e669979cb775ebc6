/**
 * Line endings against the whole stack with the demo accounts (`replyTerminator: mirror`):
 * a client that ends requests with CR LF and reads every answer up to CR LF — as Koha's SIP
 * emulator does in its default mode — completes a real circulation session; CR and LF clients
 * get their own terminator back and nothing else. Changes nothing for good: I0001 goes out to
 * P0001 and comes back.
 */
import net from "node:net";
import { encodeMessage, parseResponse, type SipRequest, type SipResponse } from "@circulate/sip2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DemoDeployment, startDemo } from "./support/gateway.js";
import { DEMO_TIME_ZONE } from "./support/kiosk.js";
import * as rq from "./support/requests.js";

/** A client that knows one line ending: writes it after each request, reads each answer up to it. */
class LineClient {
  #stream = Buffer.alloc(0);
  #from = 0;
  #sequence = 0;

  private constructor(
    readonly socket: net.Socket,
    readonly ending: string,
  ) {
    socket.on("data", (chunk: Buffer) => {
      this.#stream = Buffer.concat([this.#stream, chunk]);
    });
    socket.on("error", () => {});
  }

  static async connect(port: number, ending: string): Promise<LineClient> {
    const socket = net.connect({ port, host: "127.0.0.1" });
    await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
    return new LineClient(socket, ending);
  }

  /** Sends a request and reads its answer up to the client's ending (throws after 3 s). */
  async ask(request: SipRequest): Promise<{ raw: string; message: SipResponse }> {
    const bytes = encodeMessage(request, { timeZone: DEMO_TIME_ZONE, sequence: this.#sequence++ % 10, terminator: "" });
    this.socket.write(Buffer.concat([bytes, Buffer.from(this.ending, "latin1")]));
    const until = Date.now() + 3_000;
    let at = this.#stream.indexOf(this.ending, this.#from, "latin1");
    for (; at < 0; at = this.#stream.indexOf(this.ending, this.#from, "latin1")) {
      if (Date.now() > until) throw new Error(`no answer ending ${JSON.stringify(this.ending)}; have ${JSON.stringify(this.#stream.subarray(this.#from).toString("latin1"))}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    const raw = this.#stream.subarray(this.#from, at).toString("latin1");
    this.#from = at + this.ending.length;
    const parsed = parseResponse(Buffer.from(raw, "latin1"), { timeZone: DEMO_TIME_ZONE });
    if (!parsed.ok) throw new Error(`unreadable answer ${JSON.stringify(raw)}: ${parsed.error.reason}`);
    return { raw, message: parsed.message };
  }

  /** Everything received and not yet read as an answer. */
  get unread(): string {
    return this.#stream.subarray(this.#from).toString("latin1");
  }

  close(): void {
    this.socket.destroy();
  }
}

describe("line endings of the demo accounts, against the whole stack", () => {
  let demo: DemoDeployment;
  const clients: LineClient[] = [];
  const open = async (ending: string) => {
    const c = await LineClient.connect(demo.gateway.tcpPort, ending);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    demo = await startDemo();
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await demo?.stop();
  });

  it("a CR LF client that reads up to CR LF logs in, checks status, checks I0001 out to P0001 and in again, ends the session", async () => {
    const c = await open("\r\n");
    expect((await c.ask(rq.login("kiosk1", "kiosk1pw"))).message).toEqual({ code: "94", ok: true });
    expect((await c.ask(rq.scStatus())).message).toMatchObject({ code: "98", onlineStatus: true, institutionId: "MAIN" });
    expect((await c.ask(rq.patronStatus("P0001"))).message).toMatchObject({ code: "24", validPatron: true, validPatronPassword: true });
    expect((await c.ask(rq.checkout("P0001", "I0001"))).message).toMatchObject({ code: "12", ok: true, itemIdentifier: "I0001" });
    expect((await c.ask(rq.checkin("I0001"))).message).toMatchObject({ code: "10", ok: true, itemIdentifier: "I0001" });
    expect((await c.ask(rq.endSession("P0001"))).message).toMatchObject({ code: "36", endSession: true });
    expect(c.unread).toBe("");
  });

  for (const [name, ending] of [
    ["CR", "\r"],
    ["LF", "\n"],
  ] as const) {
    it(`a ${name} client gets ${name} back and nothing else`, async () => {
      const c = await open(ending);
      expect((await c.ask(rq.login("kiosk2", "kiosk2pw"))).message).toEqual({ code: "94", ok: true });
      const status = await c.ask(rq.scStatus());
      expect(status.message).toMatchObject({ code: "98", institutionId: "EAST" });
      expect(status.raw).not.toMatch(/[\r\n]/);
      await new Promise((r) => setTimeout(r, 50));
      expect(c.unread).toBe("");
    });
  }
});
