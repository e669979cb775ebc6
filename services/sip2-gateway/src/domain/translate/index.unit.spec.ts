import { commandRoutes, commands } from "@circulate/contracts";
import { ResponseCodeFor } from "@circulate/sip2";
import { describe, expect, it } from "vitest";
import type { Permission } from "../terminal.js";
import { permissionFor, ROUTED_CODES, type RoutedCode, renderOutcome, renderUnavailable, translateRequest } from "./index.js";
import { answerOf, CTX, commandOf, context, refused, request, wire } from "./translate.fixtures.js";

/** One well-formed kiosk request per routed message code. */
const SAMPLES: Record<RoutedCode, string> = {
  "01": "01N20250115    103005AOMAIN|ALlost|AA2123|AC|",
  "09": "09N20250115    103005                  AP|AOMAIN|AB3123|AC|",
  "11": "11YN20250115    103005                  AOMAIN|AA2123|AB3123|AC|",
  "15": "15+20250115    103005AOMAIN|AA2123|AB3123|",
  "17": "1720250115    103005AOMAIN|AB3123|",
  "19": "1920250115    103005AOMAIN|AB3123|CHx|",
  "23": "2300120250115    103005AOMAIN|AA2123|AC|AD|",
  "25": "2520250115    103005AOMAIN|AA2123|",
  "29": "29NN20250115    103005                  AOMAIN|AA2123|AB3123|",
  "35": "3520250115    103005AOMAIN|AA2123|",
  "37": "3720250115    1030050100USDBV1.00|AOMAIN|AA2123|",
  "63": "6300120250115    103005          AOMAIN|AA2123|",
  "65": "6520250115    103005AOMAIN|AA2123|",
};

const R = commands.RefusalReason;

describe.each(ROUTED_CODES)("request %s", (code) => {
  const req = request(SAMPLES[code]);
  const expected = ResponseCodeFor[code];

  it("becomes a command that names a routed case", () => {
    const cmd = commandOf(translateRequest(req, CTX));
    expect(cmd !== undefined && Object.hasOwn(commandRoutes, cmd.$case)).toBe(true);
  });

  it(`is answered with a well-formed ${expected} when no outcome came in time or the backend is down`, () => {
    for (const why of ["timeout", "unavailable"] as const) {
      const out = wire(renderUnavailable(req, CTX, why));
      expect(out.slice(0, 2)).toBe(expected);
      expect(out).toMatch(why === "timeout" ? /\|AFSystem busy\. Please try again\.\|/ : /\|AFSystem unavailable\. Please see staff\.\|/);
    }
  });

  it(`is refused locally with a ${expected} when the account lacks the permission`, () => {
    const none = context({ permissions: new Set<Permission>() });
    const out = wire(answerOf(translateRequest(req, none)), none);
    expect(out.slice(0, 2)).toBe(expected);
    expect(out).toContain("|AFThis terminal cannot do that. Please see staff.|");
  });

  it("answers an outcome without a result as an internal error of the matching type", () => {
    const out = wire(renderOutcome(req, commands.Outcome.create({ commandId: "c1", correlationId: "c1" }), CTX));
    expect(out.slice(0, 2)).toBe(expected);
    expect(out).toContain("|AFSorry, something went wrong. Please see staff.|");
  });

  it("never shows a refusal's internal detail", () => {
    for (const reason of Object.values(R)) {
      expect(wire(renderOutcome(req, refused(reason), CTX))).not.toContain("SECRET");
    }
  });
});

describe("permissions", () => {
  it("maps each message to the permission the accounts file grants", () => {
    const expected: Record<RoutedCode, Permission> = {
      "01": "block",
      "09": "checkin",
      "11": "checkout",
      "15": "holds",
      "17": "item",
      "19": "statusUpdate",
      "23": "patron",
      "25": "block",
      "29": "renew",
      "35": "patron",
      "37": "feePaid",
      "63": "patron",
      "65": "renew",
    };
    for (const code of ROUTED_CODES) expect(permissionFor(code)).toBe(expected[code]);
  });

  it("lets a check-in-only sorter check in and nothing else", () => {
    const sorter = context({ login: "sorter1", permissions: new Set<Permission>(["checkin"]) });
    expect(translateRequest(request(SAMPLES["09"]), sorter).kind).toBe("command");
    expect(translateRequest(request(SAMPLES["11"]), sorter).kind).toBe("answer");
  });

  it("needs the offline permission for a no-block transaction", () => {
    const online = context({ permissions: new Set<Permission>(["checkout", "checkin", "renew"]) });
    for (const text of [
      "11YY20250115    103005                  AOMAIN|AA2123|AB3123|AC|",
      "09Y20250115    103005                  AP|AOMAIN|AB3123|AC|",
      "29NY20250115    103005                  AOMAIN|AA2123|AB3123|",
    ]) {
      const out = wire(answerOf(translateRequest(request(text), online)), online);
      expect(out).toContain("|AFThis terminal cannot do that. Please see staff.|");
      const offline = context({ permissions: new Set<Permission>(["checkout", "checkin", "renew", "offline"]) });
      expect(translateRequest(request(text), offline).kind).toBe("command");
    }
  });
});
