/**
 * The network part against a real TCP/TLS server (test/support/server.ts), read like a
 * kiosk transcript: what went on the wire, what came back, what was printed.
 */
import { afterEach, describe, expect, it } from "vitest";
import { EXIT_NETWORK, runCli } from "../src/cli.js";
import { Sip2Client } from "../src/client/client.js";
import { memoryIo } from "./support/io.js";
import { CERTS, corruptChecksum, type ServerOptions, startServer, type TestServer, TZ } from "./support/server.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(opts: ServerOptions = {}): Promise<TestServer> {
  server = await startServer(opts);
  return server;
}

async function sip2(args: string[]) {
  const io = memoryIo();
  const code = await runCli(args, io);
  return { code, out: io.out(), err: io.err() };
}

const client = (port: number, errorDetection = true) =>
  Sip2Client.connect(
    { host: "127.0.0.1", port, tls: false, timeoutMs: 2000 },
    { charset: "ibm850", timeZone: TZ, errorDetection, terminator: "cr", timeoutMs: 2000, retries: 3 },
  );

describe("one-shot commands", () => {
  it("checkout sends an 11 and prints the decoded 12, exit 0", async () => {
    const s = await serve();
    const r = await sip2(["checkout", "--port", String(s.port), "--patron", "P0001", "--item", "I0001", "--institution", "MAIN"]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(s.frames).toHaveLength(1);
    expect(s.frames[0]).toMatch(/^11NN\d{8} {4}\d{6} {18}AOMAIN\|AAP0001\|ABI0001\|AC\|$/);
    expect(r.out).toContain("Checkout Response (12) — no checksum");
    expect(r.out).toMatch(/ ok +yes\n/);
    expect(r.out).toMatch(/ title identifier +The Hobbit\n/);
  });

  it("a refusal is an answer: exit 0 with the screen message shown", async () => {
    const s = await serve();
    const r = await sip2(["checkout", "--port", String(s.port), "--patron", "P0001", "--item", "LOST"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/ ok +no\n/);
    expect(r.out).toMatch(/ screen messages +Item is lost\n/);
  });

  it("logs in first with --login and prints one JSON object per response with --json, password masked", async () => {
    const s = await serve();
    const r = await sip2(["status", "--port", String(s.port), "--login", "kiosk1", "--password", "s3cret", "--location", "MAIN", "--json"]);
    expect(r.code).toBe(0);
    expect(s.frames.map((f) => f.slice(0, 2))).toEqual(["93", "99"]);
    const [login, status] = r.out.trim().split("\n").map((l) => JSON.parse(l));
    expect(login.request.fields).toEqual({ loginUserId: "kiosk1", loginPassword: "[redacted]", locationCode: "MAIN" });
    expect(login.response).toMatchObject({ code: "94", fixed: { ok: true } });
    expect(status.response).toMatchObject({ code: "98", fields: { institutionId: "MAIN", supportedMessages: ["checkout", "checkin", "login"] } });
    expect(r.out).not.toContain("s3cret");
  });

  it("prints the password only with --reveal-secrets", async () => {
    const s = await serve();
    const r = await sip2(["login", "--port", String(s.port), "--login", "kiosk1", "--password", "s3cret", "--reveal-secrets"]);
    expect(r.out).toContain("> 9300CNkiosk1|COs3cret|");
  });

  it("stops after a refused login: exit 0, the command is not sent", async () => {
    const s = await serve();
    const r = await sip2(["checkout", "--port", String(s.port), "--login", "kiosk1", "--password", "wrong", "--patron", "P1", "--item", "I1"]);
    expect(r.code).toBe(0);
    expect(r.err).toContain("login refused");
    expect(s.frames.map((f) => f.slice(0, 2))).toEqual(["93"]);
  });

  it("masks the PIN in the printed request", async () => {
    const s = await serve();
    const r = await sip2(["patron-status", "--port", String(s.port), "--patron", "P1", "--pin", "1234"]);
    expect(s.frames[0]).toContain("|AD1234|");
    expect(r.out).toContain("|AD[redacted]|");
    expect(r.out).not.toContain("1234");
    expect(r.out).toMatch(/ valid patron password +yes\n/);
  });

  it("exits 1 when nothing listens on the port", async () => {
    const s = await serve();
    const port = s.port;
    await s.close();
    server = undefined;
    const r = await sip2(["status", "--port", String(port)]);
    expect(r.code).toBe(EXIT_NETWORK);
    expect(r.err).toContain("cannot connect");
  });

  it("exits 1 when no response arrives within --timeout", async () => {
    const s = await serve({ tamper: () => null });
    const started = Date.now();
    const r = await sip2(["status", "--port", String(s.port), "--timeout", "0.3"]);
    expect(r.code).toBe(EXIT_NETWORK);
    expect(r.err).toContain("no response");
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe("error detection", () => {
  it("numbers requests AY0…AY9 and wraps to AY0, each with a valid AZ", async () => {
    const s = await serve();
    const c = await client(s.port);
    for (let i = 0; i < 12; i++) await c.sendRaw("9900802.00");
    await c.close();
    expect(s.frames.map((f) => f.match(/AY(\d)AZ[0-9A-F]{4}$/)?.[1])).toEqual(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "0", "1"]);
  });

  it("asks for a resend (97) when the response's checksum is wrong, and accepts the good one", async () => {
    const s = await serve({ tamper: (r, n) => (n === 0 ? corruptChecksum(r) : r) });
    const r = await sip2(["status", "--port", String(s.port), "--error-detection", "--json"]);
    expect(r.code).toBe(0);
    expect(s.frames).toEqual([expect.stringMatching(/^9900802\.00AY0AZ[0-9A-F]{4}$/), "97AZFEF5"]);
    const x = JSON.parse(r.out);
    expect(x).toMatchObject({ resends: 1, retransmits: 0, response: { code: "98", sequence: 0, checksum: "valid" } });
  });

  it("gives up after --retries resends and says so", async () => {
    const s = await serve({ tamper: corruptChecksum });
    const r = await sip2(["status", "--port", String(s.port), "--error-detection", "--retries", "2"]);
    expect(r.code).toBe(0);
    expect(s.frames.slice(1)).toEqual(["97AZFEF5", "97AZFEF5"]);
    expect(r.out).toContain("still invalid after 2 resend request(s)");
  });

  it("sends the same request again when the server answers 96", async () => {
    // The server's first reply is replaced by a 96, as when it could not read the request.
    const s = await serve({ tamper: (r, n) => (n === 0 ? Buffer.from("96AZFEF6", "latin1") : r) });
    const c = await client(s.port);
    const x = await c.sendRaw("9900802.00");
    await c.close();
    expect(s.frames).toHaveLength(2);
    expect(s.frames[1]).toBe(s.frames[0]);
    expect(x.retransmits).toBe(1);
    expect(Buffer.from(x.response).toString("latin1")).toMatch(/^98/);
  });

  it("discards a response whose AY is not the request's and waits for the right one", async () => {
    const s = await serve({
      tamper: (r) => {
        const text = Buffer.from(r).toString("latin1");
        // Answer with a stale AY first, then the real response.
        const stale = `${text.slice(0, -9)}AY7AZ`;
        const sum = (-[...stale].reduce((a, ch) => a + ch.charCodeAt(0), 0) & 0xffff).toString(16).toUpperCase().padStart(4, "0");
        return Buffer.concat([Buffer.from(`${stale}${sum}\r`, "latin1"), r]);
      },
    });
    const c = await client(s.port);
    const x = await c.sendRaw("9900802.00");
    await c.close();
    expect(x.warnings).toEqual(["discarded a response with AY7 (expected AY0)"]);
    expect(Buffer.from(x.response).toString("latin1")).toMatch(/AY0AZ[0-9A-F]{4}$/);
  });
});

describe("framing and charsets", () => {
  it.each([
    ["crlf", "\r\n"],
    ["lf", "\n"],
    ["cr", "\r"],
  ])("--terminator %s ends requests with the right bytes", async (name, bytes) => {
    const s = await serve();
    const r = await sip2(["status", "--port", String(s.port), "--terminator", name]);
    expect(r.code).toBe(0);
    expect(s.wire()).toBe(`9900802.00${bytes}`);
  });

  it.each([["\r\n"], ["\n"]] as const)("reads responses terminated by %j", async (terminator) => {
    const s = await serve({ terminator });
    const c = await client(s.port);
    const a = await c.sendRaw("9900802.00");
    const b = await c.sendRaw("9900802.00");
    await c.close();
    expect([a, b].map((x) => Buffer.from(x.response).toString("latin1").slice(0, 2))).toEqual(["98", "98"]);
  });

  it("reassembles a response that arrives one byte at a time", async () => {
    const s = await serve({ split: true });
    const r = await sip2(["checkin", "--port", String(s.port), "--item", "I0001", "--location", "EAST", "--error-detection"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("Checkin Response (10) — sequence 0, checksum valid");
    expect(r.out).toMatch(/ permanent location +EAST\n/);
  });

  it("speaks IBM850 by default: Zoë goes out as 0x89 and comes back readable", async () => {
    const s = await serve();
    const r = await sip2(["patron-status", "--port", String(s.port), "--patron", "Zoë", "--error-detection"]);
    expect(s.frames[0]).toContain("AAZo\x89|");
    expect(r.out).toMatch(/ personal name +Zoë Ågren\n/);
    expect(r.out).toMatch(/ patron status +card reported lost\n/);
    expect(r.out).toContain("checksum valid");
  });

  it("speaks UTF-8 with --charset utf-8", async () => {
    const s = await serve({ charset: "utf8" });
    const r = await sip2(["patron-status", "--port", String(s.port), "--patron", "Zoë", "--charset", "utf-8"]);
    expect(s.frames[0]).toContain("AAZo\xc3\xab|");
    expect(r.out).toMatch(/ personal name +Zoë Ågren\n/);
  });
});

describe("TLS", () => {
  it("connects with --tls --ca", async () => {
    const s = await serve({ tls: "server" });
    const r = await sip2(["status", "--port", String(s.port), "--tls", "--ca", CERTS.ca]);
    expect(r.err).toBe("");
    expect(r.out).toContain("ACS Status (98)");
  });

  it("refuses an untrusted certificate (exit 1) unless --insecure", async () => {
    const s = await serve({ tls: "server" });
    const refused = await sip2(["status", "--port", String(s.port), "--tls"]);
    expect(refused.code).toBe(EXIT_NETWORK);
    expect(refused.err).toMatch(/certificate/i);
    const insecure = await sip2(["status", "--port", String(s.port), "--tls", "--insecure"]);
    expect(insecure.code).toBe(0);
  });

  it("presents a client certificate with --cert/--key (mutual TLS)", async () => {
    const s = await serve({ tls: "mutual" });
    const ok = await sip2(["status", "--port", String(s.port), "--tls", "--ca", CERTS.ca, "--cert", CERTS.clientCert, "--key", CERTS.clientKey]);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain("ACS Status (98)");
    const without = await sip2(["status", "--port", String(s.port), "--tls", "--ca", CERTS.ca, "--timeout", "2"]);
    expect(without.code).toBe(EXIT_NETWORK);
    expect(s.frames).toHaveLength(1);
  });
});
