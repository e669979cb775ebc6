import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { EXIT_NETWORK, runCli } from "../src/cli.js";
import { mayRemember } from "../src/commands/history.js";
import { splitWords } from "../src/commands/words.js";
import { memoryIo } from "./support/io.js";
import { startServer, type TestServer } from "./support/server.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function shell(lines: string[], args: string[] = []) {
  server = await startServer();
  const dir = await mkdtemp(join(tmpdir(), "sip2-shell-"));
  const history = join(dir, "history");
  await writeFile(history, "status\n");
  const io = memoryIo(lines.map((l) => `${l}\n`), { SIP2_HISTORY: history });
  const code = await runCli(["shell", "--port", String(server.port), ...args], io);
  return { code, out: io.out(), err: io.err(), frames: server.frames, history: await readFile(history, "utf8") };
}

describe("sip2 shell", () => {
  it("runs commands, raw lines and raw mode on one connection, like a kiosk session", async () => {
    const r = await shell(
      ["status", "checkout --patron P0001 --item 'I 0001' --pin 1234", "raw 9900802.00", ":raw", "9900802.00", "quit", ":cmd", "help", "quit", "status"],
      ["--login", "kiosk1", "--password", "s3cret", "--error-detection"],
    );
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    // In raw mode "quit" is sent as typed; the server answers 96 and the client re-sends it
    // (same AY) until --retries is used up.
    expect(r.frames.map((f) => f.slice(0, 2))).toEqual(["93", "99", "11", "99", "99", "qu", "qu", "qu", "qu"]);
    expect(r.frames.map((f) => f.match(/AY(\d)AZ/)?.[1])).toEqual(["0", "1", "2", "3", "4", "5", "5", "5", "5"]);
    expect(r.frames[2]).toContain("|ABI 0001|");
    expect(r.out).toContain("Login Response (94)");
    expect(r.out).toContain("Checkout Response (12)");
    expect(r.out).toContain("raw mode");
    expect(r.out).toContain("commands (each also takes");
    expect(r.out).not.toContain("1234");
    // The status after quit is never sent.
    expect(r.frames).toHaveLength(9);
    expect(r.out).toContain("the server still answers 96 after 4 sends of the request");
  });

  it("saves history without the lines that carry a PIN or password", async () => {
    const r = await shell(["item-info --item I1", "patron-status --patron P1 --pin 1234", "raw 9300CNkiosk1|COs3cret|", "quit"]);
    expect(r.history).toBe("status\nitem-info --item I1\nquit\n");
  });

  it("reports usage errors and unknown commands, and goes on", async () => {
    const r = await shell(["checkout --patron P1", "frobnicate", "status --bogus", "status"]);
    expect(r.code).toBe(0);
    expect(r.err).toContain("checkout: --item is required");
    expect(r.err).toContain('unknown command "frobnicate"');
    expect(r.err).toContain("bogus");
    expect(r.frames.map((f) => f.slice(0, 2))).toEqual(["99"]);
  });

  it("--json per command prints JSON lines", async () => {
    const r = await shell(["status --json"]);
    expect(JSON.parse(r.out.trim())).toMatchObject({ response: { code: "98" } });
  });

  it("exits 1 when the first connection fails", async () => {
    const s = await startServer();
    const port = s.port;
    await s.close();
    const io = memoryIo(["status\n"], { SIP2_HISTORY: join(tmpdir(), "sip2-never-written") });
    expect(await runCli(["shell", "--port", String(port)], io)).toBe(EXIT_NETWORK);
    expect(io.err()).toContain("cannot connect");
  });
});

describe("shell line parsing", () => {
  it.each([
    ["checkout --patron P1 --item I1", ["checkout", "--patron", "P1", "--item", "I1"]],
    [`block-patron --message 'card stolen' --patron "P 1"`, ["block-patron", "--message", "card stolen", "--patron", "P 1"]],
    [String.raw`item-status --properties a\ b --item ''`, ["item-status", "--properties", "a b", "--item", ""]],
    ["  hold   --mode -  ", ["hold", "--mode", "-"]],
  ])("splits %j into words", (line, words) => {
    expect(splitWords(line)).toEqual(words);
  });

  it("rejects an unterminated quote", () => {
    expect(() => splitWords("hold --title 'The Hobbit")).toThrow("unterminated");
  });

  it.each([
    ["checkout --patron P1 --item I1", true],
    ["checkout --patron P1 --pin 1234", false],
    ["login --login k --password=pw", false],
    ["status --terminal-password x", false],
    ["raw 2300120250115    103000AOMAIN|AAP1|AC|AD|", true],
    ["raw 2300120250115    103000AOMAIN|AAP1|AC|AD1234|", false],
  ])("remembers %j: %s", (line, ok) => {
    expect(mayRemember(line)).toBe(ok);
  });
});
