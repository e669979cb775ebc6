import { encodeMessage, noFlags, PatronStatusPosition } from "@circulate/sip2";
import { describe, expect, it } from "vitest";
import { type Exchange, exchangeJson, maskRawSecrets, renderExchange } from "../src/client/render.js";

const TZ = "America/New_York";
const opts = { charset: "ibm850", timeZone: TZ, revealSecrets: false } as const;
const bytes = (s: string) => Buffer.from(s, "latin1");

function exchange(request: string, response: Uint8Array, extra: Partial<Exchange> = {}): Exchange {
  return { request: bytes(request), response, resends: 0, retransmits: 0, warnings: [], ...extra };
}

const patronStatus = encodeMessage(
  {
    code: "24",
    patronStatus: { ...noFlags(PatronStatusPosition), chargePrivilegesDenied: true, excessiveOutstandingFines: true },
    language: "001",
    transactionDate: new Date("2025-01-15T15:30:05Z"),
    institutionId: "MAIN",
    patronIdentifier: "P0001",
    personalName: "Zoë Ågren",
    validPatronPassword: false,
    screenMessages: ["Please see a librarian", "Fines: 12.00"],
  },
  { timeZone: TZ, sequence: 3, terminator: "" },
);

describe("readable output", () => {
  it("names fields in words, decodes flags, codes and dates, one screen message per line", () => {
    const text = renderExchange(exchange("2300020250115    103005AOMAIN|AAP0001|AC|AD1234|AY3AZF000", patronStatus), opts);
    expect(text.split("\n")).toEqual([
      "> 2300020250115    103005AOMAIN|AAP0001|AC|AD[redacted]|AY3AZF000",
      expect.stringMatching(/^< 24Y {9}Y {3}00120250115 {4}103005AOMAIN\|AAP0001\|AEZo. .gren\|CQN\|AFPlease see a librarian\|AFFines: 12.00\|AY3AZ[0-9A-F]{4}$/),
      "Patron Status Response (24) — sequence 3, checksum valid",
      "  patron status          charge privileges denied, excessive outstanding fines",
      "  language               001 (english)",
      "  transaction date       2025-01-15T10:30:05-05:00",
      "  institution id         MAIN",
      "  patron identifier      P0001",
      "  personal name          Zoë Ågren",
      "  valid patron password  no",
      "  screen messages        Please see a librarian",
      "                         Fines: 12.00",
      "",
    ]);
  });

  it("says when resends were needed and passes warnings on", () => {
    const text = renderExchange(exchange("9900802.00AY0AZFCA5", bytes("941"), { resends: 2, retransmits: 1, warnings: ["the response has no checksum"] }), opts);
    expect(text).toContain("Login Response (94) — no checksum");
    expect(text).toContain("asked for a resend 2×");
    expect(text).toContain("sent the request again 1×");
    expect(text).toContain("warning: the response has no checksum");
  });

  it("shows an unreadable response with the parser's reason", () => {
    const text = renderExchange(exchange("9900802.00", bytes("hello")), opts);
    expect(text).toContain("unreadable message: message does not start with a 2-digit code");
  });

  it("prints secrets as sent with revealSecrets", () => {
    const text = renderExchange(exchange("9300CNkiosk1|COs3cret|", bytes("941")), { ...opts, revealSecrets: true });
    expect(text).toContain("> 9300CNkiosk1|COs3cret|");
  });
});

describe("JSON output", () => {
  it("is one object with the described request and response, secrets masked", () => {
    const line = exchangeJson(exchange("9300CNkiosk1|COs3cret|CPMAIN|AY0AZF4DA", bytes("941AY0AZFDFD"), { resends: 1 }), opts);
    expect(line.endsWith("\n")).toBe(true);
    expect(line.trim().split("\n")).toHaveLength(1);
    expect(JSON.parse(line)).toEqual({
      request: expect.objectContaining({ code: "93", fields: { loginUserId: "kiosk1", loginPassword: "[redacted]", locationCode: "MAIN" }, checksum: "valid" }),
      response: expect.objectContaining({ code: "94", fixed: { ok: true }, sequence: 0, checksum: "valid" }),
      resends: 1,
      retransmits: 0,
    });
  });
});

describe("maskRawSecrets", () => {
  it("masks non-empty CO, AC and AD values only", () => {
    expect(maskRawSecrets("9300CNkiosk1|COpw|CPMAIN|")).toBe("9300CNkiosk1|CO[redacted]|CPMAIN|");
    expect(maskRawSecrets("11YN20250115    103005                  AOM|AAP|ABI|AC|ADpin|BON|")).toBe(
      "11YN20250115    103005                  AOM|AAP|ABI|AC|AD[redacted]|BON|",
    );
    expect(maskRawSecrets("23000…AOM|AAP|ACtp|AD1234")).toBe("23000…AOM|AAP|AC[redacted]|AD[redacted]");
  });
});
