import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type Charset,
  describeMessage,
  encodeMessage,
  formatSipDate,
  MESSAGE_DEFS,
  type MessageCode,
  PatronStatusPosition,
  parseMessage,
  parseRequest,
  parseResponse,
  parseSipDate,
  type FramerEvent,
  Sip2Framer,
  type SipMessage,
  SupportedMessagePosition,
} from "../src/index.js";
import { FIXTURES } from "./fixtures.js";

const RUNS = { numRuns: 300 };
const UTC = { timeZone: "UTC" };

/** Printable characters every charset can carry, without the delimiter or CR. */
const SAFE = [..." !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{}~", "é", "ë", "ö", "ü", "Æ", "ø", "å", "ß", "ñ", "Ç"];
const text = (max = 255) => fc.string({ unit: fc.constantFrom(...SAFE), maxLength: max });
const digits = (n: number) => fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: n, maxLength: n });
const sipDate = fc.date({ min: new Date("1970-01-01T00:00:00Z"), max: new Date("2099-12-31T23:59:59Z"), noInvalidDate: true }).map((d) => new Date(Math.floor(d.getTime() / 1000) * 1000));
const list = fc.array(text(), { minLength: 1, maxLength: 4 });
const ynu = fc.constantFrom("Y" as const, "N" as const, "U" as const);
const flags = <K extends string>(positions: Record<K, number>) =>
  fc.record(Object.fromEntries(Object.keys(positions).map((k) => [k, fc.boolean()])) as Record<K, fc.Arbitrary<boolean>>).map((o) => ({ ...o }));

const optional = <T extends Record<string, fc.Arbitrary<unknown>>>(required: (keyof T)[], model: T) =>
  // fast-check builds null-prototype records; spread into plain objects for toStrictEqual.
  fc.record(model, { requiredKeys: required as never }).map((o) => ({ ...o })) as unknown as fc.Arbitrary<SipMessage>;

const checkout = optional(["code", "scRenewalPolicy", "noBlock", "transactionDate", "nbDueDate", "institutionId", "patronIdentifier", "itemIdentifier", "terminalPassword"], {
  code: fc.constant("11"),
  scRenewalPolicy: fc.boolean(),
  noBlock: fc.boolean(),
  transactionDate: fc.option(sipDate, { nil: null }),
  nbDueDate: fc.option(sipDate, { nil: null }),
  institutionId: text(),
  patronIdentifier: text(),
  itemIdentifier: text(),
  terminalPassword: text(),
  itemProperties: text(),
  patronPassword: text(),
  feeAcknowledged: fc.boolean(),
  cancel: fc.boolean(),
});

const checkoutResponse = optional(
  ["code", "ok", "renewalOk", "magneticMedia", "desensitize", "transactionDate", "institutionId", "patronIdentifier", "itemIdentifier", "titleIdentifier", "dueDate"],
  {
    code: fc.constant("12"),
    ok: fc.boolean(),
    renewalOk: fc.boolean(),
    magneticMedia: ynu,
    desensitize: ynu,
    transactionDate: sipDate,
    institutionId: text(),
    patronIdentifier: text(),
    itemIdentifier: text(),
    titleIdentifier: text(),
    dueDate: text(),
    feeType: digits(2),
    securityInhibit: fc.boolean(),
    currencyType: text(3),
    feeAmount: text(10),
    mediaType: digits(3),
    itemProperties: text(),
    transactionId: text(),
    screenMessages: list,
    printLines: list,
  },
);

const checkinResponse = optional(["code", "ok", "resensitize", "magneticMedia", "alert", "transactionDate", "institutionId", "itemIdentifier", "permanentLocation"], {
  code: fc.constant("10"),
  ok: fc.boolean(),
  resensitize: fc.boolean(),
  magneticMedia: ynu,
  alert: fc.boolean(),
  transactionDate: sipDate,
  institutionId: text(),
  itemIdentifier: text(),
  permanentLocation: text(),
  titleIdentifier: text(),
  sortBin: text(),
  patronIdentifier: text(),
  mediaType: digits(3),
  collectionCode: text(),
  callNumber: text(),
  destinationLocation: text(),
  alertType: digits(2),
  holdPatronId: text(),
  holdPatronName: text(),
  screenMessages: list,
  unknownFields: fc.array(fc.record({ id: fc.constantFrom("ZZ", "XQ", "QQ"), value: text() }).map((f) => ({ ...f })), { minLength: 1, maxLength: 3 }),
});

const count = fc.option(fc.integer({ min: 0, max: 9999 }), { nil: null });
const patronInformation = optional(
  ["code", "patronStatus", "language", "transactionDate", "holdItemsCount", "overdueItemsCount", "chargedItemsCount", "fineItemsCount", "recallItemsCount", "unavailableHoldsCount", "institutionId", "patronIdentifier", "personalName"],
  {
    code: fc.constant("64"),
    patronStatus: flags(PatronStatusPosition),
    language: digits(3),
    transactionDate: sipDate,
    holdItemsCount: count,
    overdueItemsCount: count,
    chargedItemsCount: count,
    fineItemsCount: count,
    recallItemsCount: count,
    unavailableHoldsCount: count,
    institutionId: text(),
    patronIdentifier: text(),
    personalName: text(),
    holdItemsLimit: fc.integer({ min: 0, max: 9999 }),
    chargedItemsLimit: fc.integer({ min: 0, max: 9999 }),
    validPatron: fc.boolean(),
    feeAmount: text(10),
    holdItems: list,
    chargedItems: list,
    fineItems: list,
    birthDate: text(18),
    paExtension: text(),
  },
);

const acsStatus = optional(
  ["code", "onlineStatus", "checkinOk", "checkoutOk", "acsRenewalPolicy", "statusUpdateOk", "offlineOk", "timeoutPeriod", "retriesAllowed", "dateTimeSync", "protocolVersion", "institutionId", "supportedMessages"],
  {
    code: fc.constant("98"),
    onlineStatus: fc.boolean(),
    checkinOk: fc.boolean(),
    checkoutOk: fc.boolean(),
    acsRenewalPolicy: fc.boolean(),
    statusUpdateOk: fc.boolean(),
    offlineOk: fc.boolean(),
    timeoutPeriod: fc.integer({ min: 0, max: 999 }),
    retriesAllowed: fc.integer({ min: 0, max: 999 }),
    dateTimeSync: fc.option(sipDate, { nil: null }),
    protocolVersion: fc.constantFrom("1.00", "2.00"),
    institutionId: text(),
    libraryName: text(),
    supportedMessages: flags(SupportedMessagePosition),
    terminalLocation: text(),
    printLines: list,
  },
);

const hold = optional(["code", "holdMode", "transactionDate", "institutionId", "patronIdentifier"], {
  code: fc.constant("15"),
  holdMode: fc.constantFrom("+", "-", "*"),
  transactionDate: sipDate,
  expirationDate: sipDate,
  pickupLocation: text(),
  holdType: fc.constantFrom("1", "2", "3", "4"),
  institutionId: text(),
  patronIdentifier: text(),
  itemIdentifier: text(),
  titleIdentifier: text(),
  feeAcknowledged: fc.boolean(),
});

const anyMessage = fc.oneof(checkout, checkoutResponse, checkinResponse, patronInformation, acsStatus, hold);
const charset = fc.constantFrom<Charset>("ibm850", "utf8", "latin1");
const sequence = fc.option(fc.integer({ min: 0, max: 9 }), { nil: undefined });

describe("properties", () => {
  it("round-trips random valid messages in every charset, with and without AY/AZ", () => {
    fc.assert(
      fc.property(anyMessage, charset, sequence, (message, cs, seq) => {
        const bytes = encodeMessage(message, { ...UTC, charset: cs, ...(seq === undefined ? {} : { sequence: seq }) });
        const r = parseMessage(bytes, { ...UTC, charset: cs });
        expect(r).toMatchObject({ ok: true, checksum: seq === undefined ? "absent" : "valid", sequence: seq ?? null, warnings: [] });
        expect(r.ok && r.message).toStrictEqual(message);
      }),
      RUNS,
    );
  });

  it("round-trips any Unicode text in UTF-8", () => {
    const unicode = fc.string({ unit: "grapheme", maxLength: 60 }).map((s) => s.replace(/[|\r\n\0]/g, ""));
    fc.assert(
      fc.property(unicode, unicode, (user, pass) => {
        const message: SipMessage = { code: "93", uidAlgorithm: "0", pwdAlgorithm: "0", loginUserId: user, loginPassword: pass };
        const r = parseRequest(encodeMessage(message, { ...UTC, charset: "utf8", sequence: 3 }), { ...UTC, charset: "utf8" });
        expect(r.ok && r.checksum).toBe("valid");
        expect(r.ok && r.message).toStrictEqual(message);
      }),
      RUNS,
    );
  });

  it("never throws on random bytes (parse, parseRequest, parseResponse, describe)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), charset, (bytes, cs) => {
        const o = { ...UTC, charset: cs };
        for (const r of [parseMessage(bytes, o), parseRequest(bytes, o), parseResponse(bytes, o)]) {
          expect(typeof r.ok).toBe("boolean");
          if (!r.ok) expect(r.error.code).not.toBe("internal_error");
        }
        expect(() => JSON.stringify(describeMessage(bytes, o))).not.toThrow();
      }),
      { numRuns: 1000 },
    );
  });

  it("never throws on random text after a valid message code", () => {
    const codes = Object.keys(MESSAGE_DEFS) as MessageCode[];
    const junk = fc.string({ unit: fc.constantFrom(..."AYZ|0123456789 YN\r\n\x00é"), maxLength: 120 });
    fc.assert(
      fc.property(fc.constantFrom(...codes), junk, fc.string({ maxLength: 80 }), (code, a, b) => {
        const r = parseMessage(code + a + b, UTC);
        if (!r.ok) expect(r.error.code).not.toBe("internal_error");
        expect(() => JSON.stringify(describeMessage(code + a + b, UTC))).not.toThrow();
      }),
      { numRuns: 1000 },
    );
  });

  it("detects any single corrupted byte in the body as an invalid checksum", () => {
    const codes = (Object.keys(FIXTURES) as MessageCode[]).filter((c) => c !== "96" && c !== "97");
    fc.assert(
      fc.property(fc.constantFrom(...codes), fc.nat(), fc.integer({ min: 0x20, max: 0x7e }), (code, at, byte) => {
        const bytes = encodeMessage(FIXTURES[code], { ...UTC, sequence: 5, terminator: "" });
        const pos = at % (bytes.length - 9); // anywhere before "AY"
        fc.pre(bytes[pos] !== byte);
        const corrupted = Uint8Array.from(bytes);
        corrupted[pos] = byte;
        expect(parseMessage(corrupted, UTC).checksum).toBe("invalid");
      }),
      { numRuns: 1000 },
    );
  });

  it("frames the same messages however the bytes are chunked, and never buffers past the limit", () => {
    const wireArb = fc.array(fc.oneof(fc.uint8Array({ maxLength: 60 }), fc.constantFrom(Buffer.from("\r"), Buffer.from("\r\n"), Buffer.from("\n"))), { maxLength: 20 });
    fc.assert(
      fc.property(wireArb, fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 10 }), (parts, cuts) => {
        const wire = Buffer.concat(parts);
        const whole = new Sip2Framer({ maxFrameBytes: 64 });
        const expected = [...whole.push(wire), ...whole.end()];
        const split = new Sip2Framer({ maxFrameBytes: 64 });
        const got: FramerEvent[] = [];
        let pos = 0;
        for (let i = 0; pos < wire.length; i++) {
          const n = cuts[i % cuts.length]!;
          got.push(...split.push(wire.subarray(pos, pos + n)));
          expect(split.buffered).toBeLessThanOrEqual(64);
          pos += n;
        }
        got.push(...split.end());
        const norm = (evs: typeof got) => evs.map((e) => (e.type === "frame" ? Buffer.from(e.bytes).toString("hex") : e.code));
        expect(norm(got)).toEqual(norm(expected));
      }),
      { numRuns: 500 },
    );
  });

  it("formats local dates so that parsing gives back the same wall clock (DST included)", () => {
    const NY = { timeZone: "America/New_York" };
    fc.assert(
      fc.property(sipDate, (d) => {
        const raw = formatSipDate(d, NY);
        const back = parseSipDate(raw, NY);
        expect(back.ok && back.date && formatSipDate(back.date, NY)).toBe(raw);
        // Only the repeated hour when clocks go back can shift the instant, and only to the earlier one.
        const shift = back.ok && back.date ? d.getTime() - back.date.getTime() : Number.NaN;
        expect([0, 3_600_000]).toContain(shift);
      }),
      { numRuns: 1000 },
    );
  });
});
