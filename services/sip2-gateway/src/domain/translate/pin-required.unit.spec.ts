import { describe, expect, it } from "vitest";
import { translateRequest } from "./index.js";
import { answerOf, CTX, commandOf, context, request, wire } from "./translate.fixtures.js";

/** The patron transactions, each without a PIN (no AD, or an empty one). */
const WITHOUT_PIN = {
  "11": "11YN20250115    103005                  AOMAIN|AA2123|AB3123|AC|",
  "15": "15+20250115    103005AOMAIN|AA2123|AB3123|",
  "23": "2300120250115    103005AOMAIN|AA2123|AC|AD|",
  "29": "29NN20250115    103005                  AOMAIN|AA2123|AB3123|",
  "37": "3720250115    1030050100USDBV1.00|AOMAIN|AA2123|",
  "63": "6300120250115    103005          AOMAIN|AA2123|AD|",
  "65": "6520250115    103005AOMAIN|AA2123|",
} as const;

const kiosk = context({ patronPinRequired: true });

describe("patronPinRequired", () => {
  it.each(Object.entries(WITHOUT_PIN))("refuses a %s without a PIN on a PIN-required account, nothing sent on", (code, text) => {
    const out = wire(answerOf(translateRequest(request(text, kiosk), kiosk)), kiosk);
    expect(out).toContain("|AFPlease enter your PIN.|");
    // The ok / status flag right after the code says "not done".
    const notDone: Record<string, string> = { "11": "120", "15": "160", "29": "300", "37": "38N", "65": "660" };
    if (notDone[code]) expect(out.slice(0, 3)).toBe(notDone[code]);
  });

  it("says CQ N (patron password not valid) in the refused 24 and 64", () => {
    for (const code of ["23", "63"] as const) {
      const out = wire(answerOf(translateRequest(request(WITHOUT_PIN[code], kiosk), kiosk)), kiosk);
      expect(out).toContain("|CQN|");
      expect(out.slice(2, 6)).toBe("YYYY");
    }
  });

  it("sends the same requests on with their PIN", () => {
    for (const text of Object.values(WITHOUT_PIN)) {
      const withPin = text.replace("|AD|", "|").replace("AA2123|", "AA2123|AD1234|");
      const cmd = commandOf(translateRequest(request(withPin, kiosk), kiosk));
      expect(cmd?.value).toMatchObject({ pin: "1234" });
    }
  });

  it("sends them on without a PIN from a staff or integration account (the default)", () => {
    expect(CTX.account.patronPinRequired).toBe(false);
    for (const text of Object.values(WITHOUT_PIN)) expect(translateRequest(request(text), CTX).kind).toBe("command");
  });

  it("does not hold up a checkin, an unblock, an end of session or a checkout cancel", () => {
    for (const text of [
      "09N20250115    103005                  AP|AOMAIN|AB3123|AC|",
      "2520250115    103005AOMAIN|AA2123|",
      "3520250115    103005AOMAIN|AA2123|",
      "11YN20250115    103005                  AOMAIN|AA2123|AB3123|AC|BIY|",
    ]) {
      expect(translateRequest(request(text, kiosk), kiosk).kind).toBe("command");
    }
  });
});
