import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseAccounts } from "../src/adapters/accounts-file.js";
import { AccountRegistry } from "../src/app/accounts.js";
import { verifyPassword } from "../src/app/passwords.js";
import { AccountsError } from "../src/domain/accounts.js";

const demo = readFileSync(new URL("../../../infra/demo/accounts.yaml", import.meta.url), "utf8");
const hash = "scrypt$16384$8$1$AAAA$BBBB";

describe("accounts file", () => {
  it("loads the demo accounts with their permissions and passwords", async () => {
    const loaded = parseAccounts(demo);
    const by = Object.fromEntries(loaded.map((l) => [l.account.login, l.account]));
    expect(by.kiosk1).toMatchObject({ institutionId: "MAIN", renewalPolicy: true, charset: "ibm850", resolution: "institution" });
    expect(by.kiosk1?.permissions.size).toBe(10);
    expect(by.kiosk2).toMatchObject({ institutionId: "EAST", resolution: "consortium" });
    expect([...(by.sorter1?.permissions ?? [])]).toEqual(["checkin"]);
    expect(await verifyPassword("kiosk1pw", by.kiosk1!.passwordHash)).toBe(true);
    expect(await verifyPassword("sorter1pw", by.sorter1!.passwordHash)).toBe(true);
    expect(await verifyPassword("kiosk2pw", by.kiosk1!.passwordHash)).toBe(false);
  });

  it("reads checkinNotOnLoan and patronPrivacy (defaults alert and full; sorter1 refuses) and rejects other values", () => {
    const by = Object.fromEntries(parseAccounts(demo).map((l) => [l.account.login, l.account]));
    expect(by.kiosk1).toMatchObject({ checkinNotOnLoan: "alert" });
    expect(by.kiosk1?.responseProfile.name).toBe("default");
    expect([...(by.kiosk1?.responseProfile.hide ?? [])]).toEqual([]);
    expect(by.sorter1).toMatchObject({ checkinNotOnLoan: "refuse" });
    const one = (extra: string) => parseAccounts(`accounts:\n  - { login: k, passwordHash: "${hash}", institutionId: M${extra} }\n`);
    const private_ = one(", checkinNotOnLoan: refuse, patronPrivacy: noContact")[0]!.account;
    expect(private_.checkinNotOnLoan).toBe("refuse");
    expect([...private_.responseProfile.hide]).toEqual(["BD", "BE", "BF"]);
    expect(() => one(", checkinNotOnLoan: ignore")).toThrow(AccountsError);
    expect(() => one(", patronPrivacy: none")).toThrow(AccountsError);
    expect(by.kiosk1?.dueDateFormat).toBe("sip2");
    expect(one(", dueDateFormat: utc")[0]!.account.dueDateFormat).toBe("utc");
    expect(() => one(", dueDateFormat: iso")).toThrow(AccountsError);
    expect(by.kiosk1?.acsStatus).toEqual({});
    const set = one(", acsStatus: { offline: false, supportedMessages: { hold: false } }")[0]!.account.acsStatus;
    expect(set).toEqual({ offline: false, supportedMessages: { hold: false } });
    expect(() => one(", acsStatus: { supportedMessages: { fly: true } }")).toThrow(AccountsError);
  });

  it("reads the library's response profiles and each account's choice, and names what is wrong", () => {
    const file = (profiles: string, choice: string) =>
      parseAccounts(`${profiles}accounts:\n  - { login: k, passwordHash: "${hash}", institutionId: M${choice} }\n`);
    const own = file("profiles:\n  floor: { extends: envisionware, hide: [BD, BE, BF], add: [callNumber] }\n", ", responseProfile: floor")[0]!.account;
    expect(own.responseProfile.name).toBe("floor");
    expect([...own.responseProfile.hide]).toEqual(["BD", "BE", "BF"]);
    expect([...own.responseProfile.add]).toEqual(["patronType", "patronExpiry", "birthDate", "callNumber"]);
    expect(file("", ", responseProfile: alma")[0]!.account.responseProfile.add.has("extendedFees")).toBe(true);
    expect(() => file("", ", responseProfile: bibliotheka")).toThrow(/responseProfile "bibliotheka" is not a built-in profile or one under profiles/);
    expect(() => file("profiles:\n  x: { add: [shoeSize] }\n", "")).toThrow(AccountsError);
    expect(() => file("profiles:\n  x: { hide: [AE] }\n", "")).toThrow(/profiles.x: hide: AE is required in 24, 26, 64/);
  });

  it("keeps an account active by default; a switched-off one binds no connection", () => {
    const file = (active: string) =>
      parseAccounts(`accounts:\n  - { login: k, passwordHash: "${hash}", institutionId: M, bindAddresses: ["10.0.0.1"]${active} }\n`);
    expect(file("")[0]!.account.active).toBe(true);
    expect(new AccountRegistry(file("")).boundTo("10.0.0.1")?.login).toBe("k");
    const off = new AccountRegistry(file(", active: false"));
    expect(off.boundTo("10.0.0.1")).toBeUndefined();
    expect([...off.inactive()]).toEqual(["k"]);
  });

  it("takes no passwordHash for a blank or ignored terminal password, and wants its networks said", () => {
    const one = (extra: string) => parseAccounts(`accounts:\n  - { login: k, institutionId: M${extra} }\n`);
    const blank = one(", terminalPassword: blank, allowedNetworks: [10.0.0.0/8]")[0]!.account;
    expect(blank).toMatchObject({ terminalPassword: "blank", passwordHash: "" });
    expect(one(", terminalPassword: ignored, allowedNetworks: [10.0.0.0/8]")[0]!.account.terminalPassword).toBe("ignored");
    expect(() => one("")).toThrow(/passwordHash must be an scrypt hash/);
    expect(() => one(`, passwordHash: "${hash}", terminalPassword: blank, allowedNetworks: [10.0.0.0/8]`)).toThrow(/not used when terminalPassword is blank/);
    expect(() => one(", terminalPassword: ignored")).toThrow(/terminalPassword ignored needs allowedNetworks/);
    expect(() => one(", terminalPassword: none, allowedNetworks: [10.0.0.0/8]")).toThrow(AccountsError);
    expect(parseAccounts(`accounts:\n  - { login: k, passwordHash: "${hash}", institutionId: M }\n`)[0]!.account.terminalPassword).toBe("required");
  });

  it("accepts JSON, and matches IPv4, IPv6 and IPv4-mapped client addresses against CIDRs", () => {
    const [a] = parseAccounts(
      JSON.stringify({ accounts: [{ login: "k", passwordHash: hash, institutionId: "M", allowedNetworks: ["10.1.0.0/16", "2001:db8::/32"], charset: "UTF-8" }] }),
    );
    expect(a!.account.charset).toBe("utf8");
    expect(a!.allowed.contains("10.1.2.3")).toBe(true);
    expect(a!.allowed.contains("::ffff:10.1.2.3")).toBe(true);
    expect(a!.allowed.contains("10.2.0.1")).toBe(false);
    expect(a!.allowed.contains("2001:db8::5")).toBe(true);
    expect(a!.allowed.contains("2001:db9::5")).toBe(false);
  });

  it("rejects a file naming every problem: schema, time zone, network, duplicate login, shared binding", () => {
    const bad = `
accounts:
  - { login: a, passwordHash: "${hash}", institutionId: M, timeZone: Mars/Olympus, allowedNetworks: ["10.0.0.0/33"], bindAddresses: ["10.0.0.1"] }
  - { login: a, passwordHash: "${hash}", institutionId: M, bindAddresses: ["10.0.0.1"] }
  - { login: b, passwordHash: plain, institutionId: M, permissions: [fly] }
`;
    expect(() => parseAccounts(bad)).toThrow(AccountsError);
    const schemaOk = bad.replace(/ {2}- \{ login: b.*\n/, "");
    try {
      parseAccounts(schemaOk);
      expect.unreachable();
    } catch (err) {
      const problems = (err as AccountsError).problems.join("\n");
      expect(problems).toContain("Mars/Olympus");
      expect(problems).toContain("10.0.0.0/33");
      expect(problems).toContain("login is used by an earlier account");
      expect(problems).toContain("also bound");
    }
  });
});
