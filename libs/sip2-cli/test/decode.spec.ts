import { PassThrough, Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { type DecodeOptions, decode } from "../src/commands/decode.js";

const opts: DecodeOptions = { charset: "ibm850", timeZone: "America/New_York" };

async function run(chunks: Array<string | Uint8Array>, options: Partial<DecodeOptions> = {}) {
  const out = new PassThrough();
  let text = "";
  out.on("data", (d: Buffer) => {
    text += d.toString("utf8");
  });
  const summary = await decode(Readable.from(chunks), out, { ...opts, ...options });
  out.end();
  const records = text
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { records, summary, text };
}

describe("decode", () => {
  it("prints one JSON object per message with line number, name, fields and checksum", async () => {
    const { records } = await run(["9300CNkiosk1|COs3cret|CPMAIN|AY0AZF4DA\n941AY0AZFDFD\n"]);
    expect(records).toEqual([
      {
        line: 1,
        code: "93",
        name: "Login",
        direction: "request",
        fixed: { uidAlgorithm: "0 (notEncrypted)", pwdAlgorithm: "0 (notEncrypted)" },
        fields: { loginUserId: "kiosk1", loginPassword: "[redacted]", locationCode: "MAIN" },
        sequence: 0,
        checksum: "valid",
      },
      { line: 2, code: "94", name: "Login Response", direction: "response", fixed: { ok: true }, fields: {}, sequence: 0, checksum: "valid" },
    ]);
  });

  it("accepts LF, CR LF and a CR at the end of the message", async () => {
    const { records } = await run(["941AY0AZFDFD\r\n", "941AY0AZFDFD\n", "941AY0AZFDFD\r\r\n", "941AY0AZFDFD"]);
    expect(records.map((r) => [r.line, r.checksum])).toEqual([
      [1, "valid"],
      [2, "valid"],
      [3, "valid"],
      [4, "valid"],
    ]);
  });

  it("reports a wrong checksum as invalid", async () => {
    const { records } = await run(["9300CNkiosk1|COs3cret|CPMAIN|AY0AZF4DB\n"]);
    expect(records[0]).toMatchObject({ line: 1, code: "93", checksum: "invalid" });
  });

  it("reports garbage and cut-off lines as errors with their line number, and goes on", async () => {
    const { records, summary } = await run(["login: kiosk\n\x00\x01\x02\xff\n301Y\n941\n"]);
    expect(records).toEqual([
      { line: 1, error: { code: "bad_code", reason: expect.any(String) }, sequence: null, checksum: "absent" },
      { line: 2, error: { code: "bad_code", reason: expect.any(String) }, sequence: null, checksum: "absent" },
      { line: 3, code: "30", error: { code: "short_fixed_part", reason: expect.stringContaining("Renew Response"), messageCode: "30" }, sequence: null, checksum: "absent" },
      { line: 4, code: "94", name: "Login Response", direction: "response", fixed: { ok: true }, fields: {}, sequence: null, checksum: "absent" },
    ]);
    expect(summary).toEqual({ lines: 4, messages: 4, errors: 3 });
  });

  it("skips blank lines but keeps counting them", async () => {
    const { records } = await run(["\n\r\n   \n941\n"]);
    expect(records).toEqual([expect.objectContaining({ line: 4, code: "94" })]);
  });

  it("decodes messages split across chunks and several lines in one chunk", async () => {
    const wire = "9300CNkiosk1|COs3cret|CPMAIN|AY0AZF4DA\r\n9900802.00AY1AZFCA0\r\n";
    const chunks = Array.from(wire, (c) => c);
    const { records } = await run(chunks);
    expect(records.map((r) => [r.line, r.code, r.checksum])).toEqual([
      [1, "93", "valid"],
      [2, "99", "valid"],
    ]);
  });

  it("describes each CR-separated message of a line", async () => {
    const { records } = await run(["941AY0AZFDFD\r9900802.00AY1AZFCA0\r\n"]);
    expect(records.map((r) => [r.line, r.code])).toEqual([
      [1, "94"],
      [1, "99"],
    ]);
  });

  it("reads raw bytes in the chosen charset (checksum on the bytes, text decoded)", async () => {
    const cp850 = Buffer.from([..."24              00120250115    103000AOM|AAP|AEZo"].map((c) => c.charCodeAt(0)).concat([0x89], [..."|\n"].map((c) => c.charCodeAt(0))));
    const { records } = await run([cp850]);
    expect(records[0]).toMatchObject({ fields: { personalName: "Zoë" } });
    const { records: latin } = await run([cp850], { charset: "latin1" });
    expect(latin[0]).toMatchObject({ fields: { personalName: "Zo\u0089" } });
  });

  it("reports an over-long line as an error without buffering it", async () => {
    const { records } = await run(["9".repeat(5000), "9".repeat(5000), "\n941\n"], { maxLineBytes: 4096 });
    expect(records).toEqual([
      { line: 1, error: { code: "line_too_long", reason: expect.any(String) } },
      expect.objectContaining({ line: 2, code: "94" }),
    ]);
  });

  it("honours a custom delimiter", async () => {
    const { records } = await run(["9300CNuser_id^COpassw0rd^\n"], { delimiter: "^", revealSecrets: true });
    expect(records[0]).toMatchObject({ fields: { loginUserId: "user_id", loginPassword: "passw0rd" } });
  });
});

describe("decode masks secrets", () => {
  it("masks login, terminal and patron passwords unless asked to reveal them", async () => {
    const lines = ["9300CNkiosk1|COs3cret|CPMAIN|AY0AZF4DA", "2300120250115    103000AOMAIN|AAP0001|ACtermpw|AD1234|"];
    const masked = (await run([lines.join("\n")])).text;
    expect(masked).not.toMatch(/s3cret|termpw|1234/);
    expect(masked).toContain("[redacted]");
    const revealed = (await run([lines.join("\n")], { revealSecrets: true })).text;
    expect(revealed).toContain("s3cret");
    expect(revealed).toContain("1234");
  });
});
