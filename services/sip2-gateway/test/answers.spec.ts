import { parseResponse } from "@circulate/sip2";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PERMISSIONS } from "../src/domain/terminal.js";
import { frame, wire } from "./frames.js";
import { accountsFile, backendDouble, captureLogs, createTestNats, msg, type RunningGateway, startGateway, testConfig } from "./harness.js";
import { splitReplies, WireClient } from "./wire.js";

const everything = [...PERMISSIONS];
const SECRET = "Zq7xSecretPw";
const MAX_FRAME = 4_096;
const body = (bytes: Uint8Array) => Buffer.from(bytes).subarray(0, -1);

describe("every frame gets exactly one answer, ended as the account says, and no 93 secret is logged", () => {
  const nats = createTestNats();
  const backend = backendDouble(nats.url, nats.subjectPrefix);
  const logs = captureLogs();
  let files: Awaited<ReturnType<typeof accountsFile>>;
  let gw: RunningGateway;
  const clients: WireClient[] = [];
  const open = async (localAddress?: string) => {
    const c = await WireClient.connect(gw.tcp.port, localAddress);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    await backend.start();
    files = await accountsFile([
      { login: "kiosk1", password: "kiosk1pw", institutionId: "MAIN", permissions: everything },
      { login: "kcr", password: "kcrpw", institutionId: "MAIN", permissions: everything, replyTerminator: "cr" },
      { login: "kcrlf", password: "kcrlfpw", institutionId: "MAIN", permissions: everything, replyTerminator: "crlf" },
      { login: "kmirror", password: "kmirrorpw", institutionId: "MAIN", permissions: everything, replyTerminator: "mirror" },
    ]);
    gw = await startGateway(testConfig(nats.url, nats.subjectPrefix, files.file, { maxFrameBytes: MAX_FRAME }), { logger: logs.logger });
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await gw?.stop();
    await backend.close();
    await files?.remove();
    await nats.cleanup();
  });

  it("answers a frame of only NULs, only spaces or only control bytes with 96, and a bare terminator with nothing", async () => {
    const c = await open("127.0.0.7");
    c.send("\r\n\n\r\r\n\x00\x00\x00\r   \n\x00 \t\x7f\r\n\r\n");
    c.send(msg.status(1));
    const replies = await c.replies(4);
    expect(replies.map((r) => r.body.toString("latin1"))).toEqual(["96AZFEF6", "96AZFEF6", "96AZFEF6", expect.stringMatching(/^98.*AY1AZ/)]);
  });

  it("property: any mix of pipelined frames gets one well-formed, terminated reply per non-empty line, in order", async () => {
    const sentinel = msg.status(9);
    await fc.assert(
      fc.asyncProperty(
        fc.array(frame(SECRET, MAX_FRAME), { minLength: 1, maxLength: 8 }),
        fc.array(fc.integer({ min: 1, max: 96 }), { minLength: 1, maxLength: 5 }),
        async (frames, cuts) => {
          // Its own address: the fuzzed 93s lock their address out of logins.
          const c = await open("127.0.0.9");
          const bytes = wire(frames);
          for (let pos = 0, i = 0; pos < bytes.length; i++) {
            const n = cuts[i % cuts.length]!;
            c.send(bytes.subarray(pos, pos + n));
            pos += n;
          }
          c.send(sentinel);
          // Answers are written in order, so once the sentinel's 98 is in, every answer owed is.
          await c.until((s) => splitReplies(s).replies.some((r) => /^98.*AY9AZ[0-9A-F]{4}$/.test(r.body.toString("latin1"))));
          const { replies, rest } = splitReplies(c.stream);
          c.close();
          expect(rest.length).toBe(0);
          expect(replies).toHaveLength(frames.length + 1);
          for (const r of replies) {
            const parsed = parseResponse(r.body, { timeZone: "Europe/Oslo" });
            expect(parsed.ok, r.body.toString("latin1")).toBe(true);
            expect(parsed.checksum).not.toBe("invalid");
          }
        },
      ),
      { numRuns: 60, interruptAfterTimeLimit: 20_000 },
    );
  }, 30_000);

  it("never logs anything of a 93 but a cleanly parsed login name, however the 93 is mangled", async () => {
    const c = await open("127.0.0.10");
    const shapes = fc.oneof(
      fc.constantFrom(
        `9300CNkiosk1CO${SECRET}|CPMAIN|`,
        `9300CNkiosk1|CO${SECRET}CPMAIN|`,
        `9300CO${SECRET}|CNkiosk1|`,
        `9300CN${SECRET}|CO${SECRET}|`,
        `9300CNkiosk1CO${SECRET}|CO|`,
        `9300CNkiosk1|CN${SECRET}|CO${SECRET}|`,
        `93CNkiosk1|CO${SECRET}|`,
        `9300CNkiosk1;CO${SECRET};CPMAIN`,
        `9400CNkiosk1|CO${SECRET}|`,
        `9300CNkiosk1|CO${SECRET}|AY1AZ0000`,
        `9300CNkiosk1 CO${SECRET}|CPMAIN|AY2AZ`,
      ),
      fc
        .tuple(fc.constantFrom("|", "", " ", "/", "||", "\x00"), fc.constantFrom("CO", "C0", "co", "CN", "CP", ""), fc.constantFrom("CN", "CO", "XX", ""))
        .map(([sep, pw, name]) => `9300${name}kiosk1${sep}${pw}${SECRET}${sep}CPMAIN${sep}`),
    );
    const sent = fc.sample(shapes, { numRuns: 120, seed: 93 });
    for (const s of sent) c.send(`${s}\r`);
    expect(await c.replies(sent.length, 15_000)).toHaveLength(sent.length);
    const all = logs.lines.join("");
    expect(all).not.toContain(SECRET);
    // A clean 93 of a known account is still logged by name.
    const named = logs.lines.filter((l) => l.includes('"terminal":"kiosk1"') && l.includes("login refused"));
    expect(named.length).toBeGreaterThan(0);
  });

  const endings = { cr: "\r", crlf: "\r\n", lf: "\n" } as const;
  const requestEnding = (bytes: Uint8Array, ending: string) => Buffer.concat([body(bytes), Buffer.from(ending, "latin1")]);

  for (const setting of ["cr", "crlf", "mirror"] as const) {
    for (const [name, ending] of Object.entries(endings)) {
      it(`ends every reply as ${setting} says for ${name} requests: 94, 98, routed, 96 and 97`, async () => {
        const c = await open();
        const login = `k${setting}`;
        const expected = setting === "mirror" ? ending : endings[setting];
        const requests = [
          msg.login(login, `${login}pw`, 1),
          msg.status(2),
          msg.checkout("P0001", "I0001", 3),
          Buffer.from("hello there\r", "latin1"),
          Buffer.from("97AZFEF5\r", "latin1"),
        ];
        for (const [i, r] of requests.entries()) {
          c.send(requestEnding(r, ending));
          await c.replies(i + 1);
        }
        // A stray byte after a reply would show up as an extra reply or a wrong ending.
        await new Promise((r) => setTimeout(r, 50));
        const { replies, rest } = splitReplies(c.stream);
        expect(rest.length).toBe(0);
        expect(replies.map((r) => r.body.toString("latin1").slice(0, 3))).toEqual(["941", "98Y", "121", "96A", "96A"]);
        expect(replies.map((r) => r.ending)).toEqual(requests.map(() => expected));
      });
    }
  }

  it("before any login (no account) answers in kind: CR, CR LF or LF", async () => {
    for (const ending of Object.values(endings)) {
      const c = await open();
      c.send(requestEnding(msg.status(4), ending));
      c.send(`garbage${ending}`);
      await c.replies(2);
      await new Promise((r) => setTimeout(r, 30));
      expect(splitReplies(c.stream).replies.map((r) => r.ending)).toEqual([ending, ending]);
    }
  });
});
