import { describe, expect, it } from "vitest";
import { type FileAccount, fileAccountsGateway, fileAccountsKey, parseFileAccounts, terminalStateKey } from "../src/index.js";

const account: FileAccount = {
  login: "kiosk1",
  active: true,
  institutionId: "MAIN",
  libraryName: "Main Library",
  location: "MAIN",
  allowedNetworks: ["10.0.0.0/8"],
  bindAddresses: [],
  permissions: ["checkout"],
  charset: "ibm850",
  terminalPassword: "required",
  responseProfile: "default",
  timeZone: "UTC",
};
const entry = { v: 1, gatewayId: "gw-a", accounts: [account], loadedAt: 1, updatedAt: 2, expiresAt: 3 };

describe("the accounts files' entries in the fleet bucket", () => {
  it("keys a replica's entry accounts.<gatewayId>, which no connection's key can be", () => {
    expect(fileAccountsKey("gw-a")).toBe("accounts.gw-a");
    expect(fileAccountsGateway("accounts.gw-a")).toBe("gw-a");
    expect(fileAccountsGateway("gw-a.1a")).toBeUndefined();
    expect(fileAccountsGateway("accounts.gw-a.1")).toBeUndefined();
    // A gateway named "accounts" would write its connections under the files' keys.
    expect(() => terminalStateKey("accounts", "gw-a")).toThrow(RangeError);
    expect(() => fileAccountsKey("accounts")).toThrow(RangeError);
    expect(() => fileAccountsKey("gw.a")).toThrow(RangeError);
  });

  it("reads a version-1 entry, leaving out an account that does not read, and nothing else", () => {
    const bad = { ...account, login: "bad", terminalPassword: "sometimes" };
    expect(parseFileAccounts(JSON.stringify({ ...entry, accounts: [account, bad] }))).toEqual(entry);
    expect(parseFileAccounts(new TextEncoder().encode(JSON.stringify(entry)))).toEqual(entry);
    expect(parseFileAccounts(JSON.stringify({ ...entry, v: 2 }))).toBeUndefined();
    expect(parseFileAccounts(JSON.stringify({ ...entry, expiresAt: "soon" }))).toBeUndefined();
    expect(parseFileAccounts("{")).toBeUndefined();
  });
});
