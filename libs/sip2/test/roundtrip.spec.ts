import { describe, expect, it } from "vitest";
import { type Charset, decodeText, encodeMessage, MESSAGE_DEFS, type MessageCode, parseMessage, parseRequest, parseResponse, type SipMessage } from "../src/index.js";
import { FIXTURES } from "./fixtures.js";

const TZ = "America/New_York";
const CODES = Object.keys(FIXTURES) as MessageCode[];
const CHARSETS: Charset[] = ["ibm850", "utf8", "latin1"];

function roundTrip(message: SipMessage, charset: Charset, sequence?: number) {
  const bytes = encodeMessage(message, { timeZone: TZ, charset, ...(sequence === undefined ? {} : { sequence }) });
  return { bytes, parsed: parseMessage(bytes, { timeZone: TZ, charset }) };
}

describe("round trip: model → encode → parse", () => {
  it("has a fixture for all 31 SIP2 2.00 messages", () => {
    expect(CODES.sort()).toEqual(Object.keys(MESSAGE_DEFS).sort());
    expect(CODES).toHaveLength(31);
  });

  for (const code of CODES) {
    const def = MESSAGE_DEFS[code];
    describe(`${code} ${def.name}`, () => {
      it("round-trips without error detection (checksum absent)", () => {
        const { parsed } = roundTrip(FIXTURES[code], "ibm850");
        expect(parsed).toMatchObject({ ok: true, checksum: "absent", sequence: null, warnings: [] });
        expect(parsed.ok && parsed.message).toStrictEqual(FIXTURES[code]);
      });

      it("round-trips with AY/AZ and reports the checksum valid", () => {
        const { parsed } = roundTrip(FIXTURES[code], "ibm850", 7);
        const noAy = code === "96" || code === "97";
        expect(parsed).toMatchObject({ ok: true, checksum: "valid", sequence: noAy ? null : 7, warnings: [] });
        expect(parsed.ok && parsed.message).toStrictEqual(FIXTURES[code]);
      });

      for (const charset of CHARSETS) {
        it(`round-trips non-ASCII text (Zoë) in ${charset}`, () => {
          const { bytes, parsed } = roundTrip(FIXTURES[code], charset, 1);
          expect(parsed.ok && parsed.checksum).toBe("valid");
          expect(parsed.ok && parsed.message).toStrictEqual(FIXTURES[code]);
          if (JSON.stringify(FIXTURES[code]).includes("Zoë")) expect(decodeText(bytes, charset)).toContain("Zoë");
        });
      }

      it(`is accepted by ${def.direction === "request" ? "parseRequest" : "parseResponse"} only`, () => {
        const bytes = encodeMessage(FIXTURES[code], { timeZone: TZ });
        const right = def.direction === "request" ? parseRequest : parseResponse;
        const wrong = def.direction === "request" ? parseResponse : parseRequest;
        expect(right(bytes, { timeZone: TZ }).ok).toBe(true);
        expect(wrong(bytes, { timeZone: TZ })).toMatchObject({ ok: false, error: { code: "wrong_direction" } });
      });
    });
  }

  it("encodes Zoë as different bytes per charset", () => {
    const msg = FIXTURES["24"];
    const hex = (c: Charset) => Buffer.from(encodeMessage(msg, { timeZone: TZ, charset: c })).toString("hex");
    expect(new Set(CHARSETS.map(hex)).size).toBe(3);
  });

  it("keeps unknown fields in order and re-emits them after the known ones", () => {
    const msg: SipMessage = { ...FIXTURES["10"], unknownFields: [{ id: "ZZ", value: "one" }, { id: "XA", value: "" }, { id: "ZZ", value: "two" }] };
    const { bytes, parsed } = roundTrip(msg, "utf8", 2);
    expect(parsed.ok && parsed.message).toStrictEqual(msg);
    expect(Buffer.from(bytes).toString("utf8")).toMatch(/\|ZZone\|XA\|ZZtwo\|AY2AZ[0-9A-F]{4}\r$/);
  });

  it("round-trips dates written as UTC ('   Z') in any zone", () => {
    const bytes = encodeMessage(FIXTURES["17"], { timeZone: "Asia/Tokyo", dateStyle: "utc" });
    expect(Buffer.from(bytes).toString("latin1")).toContain("20250115   Z153000");
    const parsed = parseMessage(bytes, { timeZone: "Pacific/Auckland" });
    expect(parsed.ok && parsed.message).toStrictEqual(FIXTURES["17"]);
  });
});
