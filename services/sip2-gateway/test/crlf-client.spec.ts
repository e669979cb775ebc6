/**
 * A client in the manner of Koha's SIP emulator in its default mode: every request ends with
 * CR LF and every answer is read up to CR LF. Against the demo accounts file as shipped.
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { encodeMessage, parseResponse } from "@circulate/sip2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accountsFile, backendDouble, captureLogs, createTestNats, msg, type RunningGateway, startGateway, testConfig } from "./harness.js";
import { WireClient } from "./wire.js";

const DEMO_ACCOUNTS = fileURLToPath(new URL("../../../infra/demo/accounts.yaml", import.meta.url));
const PERL_CLIENT = fileURLToPath(new URL("./fixtures/line-client.pl", import.meta.url));
const run = promisify(execFile);

/** The Perl line client's answers, or its exit code when it gave up (2: an answer never came). */
async function perlClient(port: number, mode: "crlf" | "cr", requests: Uint8Array[]): Promise<{ answers: string[]; code: number }> {
  const args = [PERL_CLIENT, String(port), mode, ...requests.map((r) => Buffer.from(r).subarray(0, -1).toString("latin1"))];
  try {
    const { stdout } = await run("perl", args, { encoding: "latin1", timeout: 20_000 });
    return { answers: stdout.split("\n").filter(Boolean), code: 0 };
  } catch (err) {
    const e = err as { code?: number; stdout?: string };
    return { answers: (e.stdout ?? "").split("\n").filter(Boolean), code: e.code ?? -1 };
  }
}
const WHEN = new Date("2025-01-15T10:30:05Z");
const crlf = (bytes: Uint8Array) => Buffer.concat([Buffer.from(bytes).subarray(0, -1), Buffer.from("\r\n")]);
const nyTime = { timeZone: "America/New_York" } as const;

/** What such a client sends in one session, and the answer code it waits for. */
const session: [Uint8Array, string][] = [
  [msg.login("kiosk1", "kiosk1pw", 0), "94"],
  [msg.status(1), "98"],
  [msg.patronStatus("P0001", 2), "24"],
  [msg.checkout("P0001", "I0001", 3), "12"],
  [
    encodeMessage(
      { code: "09", noBlock: false, transactionDate: WHEN, returnDate: WHEN, currentLocation: "MAIN", institutionId: "MAIN", itemIdentifier: "I0001", terminalPassword: "" },
      { ...nyTime, sequence: 4 },
    ),
    "10",
  ],
  [encodeMessage({ code: "35", transactionDate: WHEN, institutionId: "MAIN", patronIdentifier: "P0001" }, { ...nyTime, sequence: 5 }), "36"],
  [Buffer.from("97AZFEF5\r", "latin1"), "36"],
];

describe("a CR LF client that reads up to CR LF (Koha's emulator, default mode)", () => {
  const nats = createTestNats();
  const backend = backendDouble(nats.url, nats.subjectPrefix);
  let crOnly: Awaited<ReturnType<typeof accountsFile>>;
  let demo: RunningGateway;
  let strict: RunningGateway;
  const clients: WireClient[] = [];

  beforeAll(async () => {
    await backend.start();
    crOnly = await accountsFile([{ login: "kiosk1", password: "kiosk1pw", institutionId: "MAIN", permissions: ["checkout", "checkin", "patron"] }]);
    demo = await startGateway(testConfig(nats.url, nats.subjectPrefix, DEMO_ACCOUNTS), { logger: captureLogs().logger });
    strict = await startGateway(testConfig(nats.url, nats.subjectPrefix, crOnly.file), { logger: captureLogs().logger });
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await demo?.stop();
    await strict?.stop();
    await backend.close();
    await crOnly?.remove();
    await nats.cleanup();
  });

  it("completes a whole session against the demo accounts: login, status, patron, checkout, checkin, end, resend", async () => {
    const c = await WireClient.connect(demo.tcp.port);
    clients.push(c);
    let from = 0;
    for (const [request, answer] of session) {
      c.send(crlf(request));
      const { body, next } = await c.readUpTo("\r\n", from, 3_000);
      from = next;
      expect(body.slice(0, 2)).toBe(answer);
      expect(body).not.toMatch(/[\r\n]/);
      const parsed = parseResponse(Buffer.from(body, "latin1"), nyTime);
      expect(parsed.ok, body).toBe(true);
    }
    expect(c.stream.length).toBe(from);
  });

  it("a Perl client reading lines with $/ completes in CR LF mode and in CR mode against the demo accounts", async () => {
    const requests = session.map(([r]) => r);
    for (const mode of ["crlf", "cr"] as const) {
      const { answers, code } = await perlClient(demo.tcp.port, mode, requests);
      expect(code, `${mode}: ${answers.join(" / ")}`).toBe(0);
      expect(answers.map((a) => a.slice(0, 2))).toEqual(session.map(([, answer]) => answer));
      // No stray CR or LF left at either end of an answer (a CR-mode reader would keep an LF).
      for (const a of answers) expect(a).toMatch(/^\d\d[^\r\n]*AZ[0-9A-F]{4}$/);
    }
  });

  it("the same Perl client in CR LF mode never gets an answer from an account that ends answers with CR", async () => {
    const { answers, code } = await perlClient(strict.tcp.port, "crlf", [msg.login("kiosk1", "kiosk1pw", 0)]);
    expect(answers).toEqual(["TIMEOUT"]);
    expect(code).toBe(2);
  });

  it("waits forever for its first answer from an account whose answers end with CR only", async () => {
    const c = await WireClient.connect(strict.tcp.port);
    clients.push(c);
    c.send(crlf(msg.login("kiosk1", "kiosk1pw", 0)));
    await c.until((s) => s.includes("\r"));
    await expect(c.readUpTo("\r\n", 0, 300)).rejects.toThrow(/timed out/);
  });
});
