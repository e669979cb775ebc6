import { encodeMessage } from "@circulate/sip2";
import { describe, expect, it } from "vitest";
import type { Permission } from "../domain/terminal.js";
import { account } from "../domain/translate/translate.fixtures.js";
import { acsStatus } from "./acs-status.js";

const NOW = new Date("2025-01-15T10:30:05Z");
const wire = (online: boolean, overrides: Parameters<typeof account>[0]) =>
  Buffer.from(encodeMessage(acsStatus(account(overrides), "MAIN", online, NOW), { timeZone: "UTC", terminator: "" })).toString("latin1");
const sorter = { permissions: new Set<Permission>(["checkin"]) };

describe("98 ACS status", () => {
  it("derives the flags and BX from the account's permissions", () => {
    expect(wire(true, sorter)).toMatch(/^98YYNNNN050003\d{8} {4}\d{6}2\.00AOMAIN\|AMMain Library\|BXNNYNYYYNNNNNNNNN\|ANMAIN\|$/);
  });

  it("takes each flag and BX position the account sets instead", () => {
    const out = wire(true, { ...sorter, acsStatus: { checkout: true, renewal: true, offline: true, supportedMessages: { checkout: true, login: false } } });
    expect(out.slice(0, 8)).toBe("98YYYYNY");
    expect(out).toContain("|BXNYYNYYNNNNNNNNNN|");
  });

  it("says off-line with timeout 000 when the account sets it, and never says on-line for an ACS that is not", () => {
    expect(wire(true, { acsStatus: { online: false } }).slice(0, 14)).toBe("98NYYYYY000003");
    expect(wire(false, { acsStatus: { online: true, checkin: true } }).slice(0, 14)).toBe("98NNNNNN000003");
  });
});
