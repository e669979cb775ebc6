import { encodeMessage } from "@circulate/sip2";
import { describe, expect, it } from "vitest";
import { readSettings } from "../src/client/options.js";
import { REQUESTS, type RequestContext } from "../src/client/requests.js";
import { dateOption } from "../src/client/values.js";
import { UsageError } from "../src/usage.js";

const TZ = "America/New_York";
const now = new Date("2025-01-15T15:30:05Z");
const ctx: RequestContext = { institution: "MAIN", terminalPassword: "", location: "EAST", login: { user: "kiosk1", password: "s3cret" }, timeZone: TZ, now };

/** The wire text of a command's request, as the server would see it (no trailer). */
function wire(name: keyof typeof REQUESTS, values: Record<string, string | boolean>, c: RequestContext = ctx): string {
  const message = REQUESTS[name].build(values, c);
  return Buffer.from(encodeMessage(message, { timeZone: TZ, terminator: "" })).toString("latin1");
}

describe("arguments → request", () => {
  it.each([
    ["login", {}, "9300CNkiosk1|COs3cret|CPEAST|"],
    ["status", {}, "9900802.00"],
    ["status", { "status-code": "printer-out-of-paper", width: "40" }, "9910402.00"],
    ["patron-status", { patron: "P0001", pin: "1234" }, "2300020250115    103005AOMAIN|AAP0001|AC|AD1234|"],
    ["patron-info", { patron: "P0001", summary: "charged", start: "1", end: "5" }, "6300020250115    103005  Y       AOMAIN|AAP0001|BP1|BQ5|"],
    ["checkout", { patron: "P0001", item: "I0001" }, "11NN20250115    103005                  AOMAIN|AAP0001|ABI0001|AC|"],
    [
      "checkout",
      { patron: "P0001", item: "I0001", "no-block": true, due: "2025-02-05", "renewal-policy": true, cancel: true, pin: "9" },
      "11YY20250115    10300520250205    235900AOMAIN|AAP0001|ABI0001|AC|AD9|BIY|",
    ],
    ["checkin", { item: "I0001", "return-date": "2025-01-14T09:00" }, "09N20250115    10300520250114    090000APEAST|AOMAIN|ABI0001|AC|"],
    ["checkin", { item: "I0001", location: "WEST", cancel: true }, "09N20250115    10300520250115    103005APWEST|AOMAIN|ABI0001|AC|BIY|"],
    ["renew", { patron: "P0001", title: "T1", "third-party": true }, "29YN20250115    103005                  AOMAIN|AAP0001|AJT1|"],
    ["renew-all", { patron: "P0001", "fee-acknowledged": true }, "6520250115    103005AOMAIN|AAP0001|BOY|"],
    ["item-info", { item: "I0001" }, "1720250115    103005AOMAIN|ABI0001|"],
    ["item-status", { item: "I0001", properties: "new label" }, "1920250115    103005AOMAIN|ABI0001|CHnew label|"],
    ["block-patron", { patron: "P0001", message: "stolen", "card-retained": true }, "01Y20250115    103005AOMAIN|ALstolen|AAP0001|AC|"],
    ["patron-enable", { patron: "P0001" }, "2520250115    103005AOMAIN|AAP0001|"],
    ["end-session", { patron: "P0001", pin: "1234" }, "3520250115    103005AOMAIN|AAP0001|AD1234|"],
    [
      "fee-paid",
      { patron: "P0001", amount: "2.50", "fee-type": "overdue", "payment-type": "credit-card", currency: "eur", "fee-id": "F1", "transaction-id": "T42" },
      "3720250115    1030050402EURBV2.50|AOMAIN|AAP0001|CGF1|BKT42|",
    ],
    ["fee-paid", { patron: "P0001", amount: "1" }, "3720250115    1030050100USDBV1|AOMAIN|AAP0001|"],
    [
      "hold",
      { patron: "P0001", item: "I0001", mode: "-", pickup: "EAST", expires: "2025-03-01", "hold-type": "specific-copy" },
      "15-20250115    103005BW20250301    235900|BSEAST|BY3|AOMAIN|AAP0001|ABI0001|",
    ],
    ["hold", { patron: "P0001", title: "T1" }, "15+20250115    103005AOMAIN|AAP0001|AJT1|"],
    ["resend", {}, "97"],
  ] as const)("%s %j → %s", (name, values, expected) => {
    expect(wire(name, values)).toBe(expected);
  });

  it("sends AC when a terminal password is configured", () => {
    expect(wire("item-info", { item: "I1" }, { ...ctx, terminalPassword: "tp" })).toBe("1720250115    103005AOMAIN|ABI1|ACtp|");
  });

  it.each([
    ["checkout", { patron: "P1" }, "--item is required"],
    ["checkout", { patron: "P1", item: "I1", due: "2025-02-05" }, "give --no-block too"],
    ["checkout", { patron: "P1", item: "I1", "no-block": true, due: "tomorrow" }, "--due: not a date"],
    ["renew", { patron: "P1" }, "--item or --title is required"],
    ["patron-info", { patron: "P1", summary: "everything" }, "unknown category"],
    ["fee-paid", { patron: "P1", amount: "2,50" }, "not a decimal amount"],
    ["fee-paid", { patron: "P1", amount: "2", "fee-type": "parking" }, "--fee-type: unknown value"],
    ["fee-paid", { patron: "P1", amount: "2", currency: "EURO" }, "--currency"],
    ["hold", { patron: "P1", item: "I1", mode: "x" }, "--mode: unknown value"],
    ["status", { width: "wide" }, "--width"],
    ["item-status", { item: "I1" }, "--properties is required"],
  ] as const)("%s %j is a usage error: %s", (name, values, message) => {
    expect(() => REQUESTS[name].build(values, ctx)).toThrow(UsageError);
    expect(() => REQUESTS[name].build(values, ctx)).toThrow(message);
  });
});

describe("date options", () => {
  it.each([
    ["2025-02-05", "2025-02-06T04:59:00.000Z"],
    ["2025-07-05T14:30", "2025-07-05T18:30:00.000Z"],
    ["2025-02-05T14:30:00Z", "2025-02-05T14:30:00.000Z"],
    ["2025-02-05T14:30:00+01:00", "2025-02-05T13:30:00.000Z"],
    ["20250205    143000", "2025-02-05T19:30:00.000Z"],
    ["20250205   Z143000", "2025-02-05T14:30:00.000Z"],
  ])("reads %s in the library's zone", (value, iso) => {
    expect(dateOption(value, "due", TZ).toISOString()).toBe(iso);
  });
});

describe("connection options", () => {
  const env = { SIP2_TZ: TZ };
  it("defaults to 127.0.0.1:6001, IBM850, CR, no error detection, 10 s", () => {
    const s = readSettings({}, env);
    expect(s.connect).toEqual({ host: "127.0.0.1", port: 6001, tls: false, timeoutMs: 10_000 });
    expect(s.client).toEqual({ charset: "ibm850", timeZone: TZ, errorDetection: false, terminator: "cr", timeoutMs: 10_000, retries: 3 });
    expect(s.context).toEqual({ institution: "", terminalPassword: "", location: "", login: null, timeZone: TZ });
  });

  it("reads TLS, charset aliases, terminator and timeout", () => {
    const s = readSettings({ tls: true, ca: "ca.pem", cert: "c.pem", key: "k.pem", charset: "ISO-8859-1", terminator: "CRLF", timeout: "0.5", "error-detection": true }, env);
    expect(s.connect.tls).toEqual({ ca: "ca.pem", cert: "c.pem", key: "k.pem", insecure: false });
    expect(s.client).toMatchObject({ charset: "latin1", terminator: "crlf", timeoutMs: 500, errorDetection: true });
  });

  it.each([
    [{ port: "70000" }, "--port"],
    [{ ca: "x" }, "--ca needs --tls"],
    [{ tls: true, cert: "c" }, "--cert and --key go together"],
    [{ password: "p" }, "--password needs --login"],
    [{ terminator: "nul" }, "--terminator"],
    [{ timeout: "0" }, "--timeout"],
    [{ charset: "ebcdic" }, "unknown charset"],
  ])("rejects %j", (values, message) => {
    expect(() => readSettings(values, env)).toThrow(message);
  });
});
