import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { describeMessage, MESSAGE_DEFS, type MessageCode, type ParseResult, parseRequest, parseResponse } from "../src/index.js";

interface Literal {
  direction: "request" | "response";
  code: string;
  message: string;
  path: string;
  line: number;
  has_AZ: boolean;
  checksum_valid?: boolean;
}

interface EvergreenCase {
  file: string;
  id: string;
  request: string;
}

const dir = new URL("./vectors/", import.meta.url);
const readJsonl = <T>(name: string): T[] =>
  readFileSync(new URL(name, dir), "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as T);

const literalFiles = readdirSync(dir).filter((f) => f.endsWith(".jsonl") && !f.startsWith("evergreen"));
const opts = { timeZone: "America/Chicago", charset: "utf8" } as const;

/** FOLIO's deliberately `^`-delimited login: the delimiter is configurable, so parse it with `^`. */
const optionsFor = (v: Literal) => (v.message.includes("^") && !v.message.includes("|") ? { ...opts, delimiter: "^" } : opts);

function expectedChecksum(v: Literal): "valid" | "invalid" | "absent" {
  if (v.checksum_valid === true) return "valid";
  if (v.checksum_valid === false) return "invalid";
  // node-sip2's literals that stop right after "AY<d>AZ" (checksum appended at run time).
  return /AY\dAZ\r?\n?$/.test(v.message) ? "invalid" : "absent";
}

function parse(v: Literal): ParseResult {
  return v.direction === "request" ? parseRequest(v.message, optionsFor(v)) : parseResponse(v.message, optionsFor(v));
}

/** Characters the fixed part has, ignoring the trailer and terminator. */
function fixedChars(message: string): number {
  const body = message.replace(/\r?\n?$/, "").replace(/(AY\d)?AZ[0-9A-Fa-f]{0,4}$/, "");
  return body.length - 2;
}

describe("public test vectors", () => {
  for (const file of literalFiles) {
    describe(file, () => {
      const vectors = readJsonl<Literal>(file);
      it.each(vectors.map((v) => [`${v.code} ${JSON.stringify(v.message).slice(0, 60)} (line ${v.line})`, v] as const))(
        "parses or fails cleanly: %s",
        (_label, v) => {
          const r = parse(v);
          expect(r.checksum).toBe(expectedChecksum(v));
          if (r.ok) {
            expect(r.message.code).toBe(v.code);
          } else {
            // The only acceptable failure is a prefix-only literal whose fixed part is incomplete.
            expect(r.error.code).toBe("short_fixed_part");
            expect(r.error.messageCode).toBe(v.code);
            expect(fixedChars(v.message)).toBeLessThan(MESSAGE_DEFS[v.code as MessageCode].fixedLength);
          }
          expect(() => JSON.stringify(describeMessage(v.message, optionsFor(v)))).not.toThrow();
        },
      );
    });
  }

  it("parses FOLIO's '^'-delimited login with delimiter '^'", () => {
    const r = parseRequest("9300CNuser_id^COpassw0rd^", { ...opts, delimiter: "^" });
    expect(r.ok && r.message).toEqual({ code: "93", uidAlgorithm: "0", pwdAlgorithm: "0", loginUserId: "user_id", loginPassword: "passw0rd" });
  });

  it("decides FOLIO's prefix-only literals: complete fixed part parses, incomplete fails with short_fixed_part", () => {
    const outcome = (m: string) => {
      const r = parseResponse(m, opts);
      return r.ok ? "ok" : r.error.code;
    };
    expect(outcome("941")).toBe("ok");
    expect(outcome("940")).toBe("ok");
    expect(outcome("96AZFEF6")).toBe("ok");
    expect(outcome("98YYYYNN")).toBe("short_fixed_part");
    expect(outcome("98YYNYNN005003")).toBe("short_fixed_part");
    expect(outcome("301Y")).toBe("short_fixed_part");
    expect(outcome("101YUN")).toBe("short_fixed_part");
    expect(outcome("121NUY")).toBe("short_fixed_part");
    expect(outcome("64              001")).toBe("short_fixed_part");
  });

  it("reports the deliberately wrong FOLIO checksums as invalid", () => {
    expect(parseRequest("9900401.00AY1AZAAAA", opts).checksum).toBe("invalid");
    expect(parseRequest("9300CNuser_id|COpassw0rd|AY1AZF595", opts).checksum).toBe("invalid");
    expect(parseRequest("9300CNuser_id|COpassw0rd|AY1AZF594", opts).checksum).toBe("valid");
  });

  describe("evergreen-sipserver.t-cases.jsonl (requests)", () => {
    const cases = readJsonl<EvergreenCase>("evergreen-sipserver.t-cases.jsonl");
    it.each(cases.map((c) => [`${c.file} ${c.id}: ${c.request.slice(0, 40)}`, c] as const))("parses %s", (_label, c) => {
      const r = parseRequest(c.request, opts);
      expect(r).toMatchObject({ ok: true, checksum: "absent" });
      expect(r.ok && r.message.code).toBe(c.request.slice(0, 2));
    });
  });
});
