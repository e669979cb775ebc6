import { createLogger } from "@circulate/runtime";
import { describe, expect, it } from "vitest";
import { AccountSources } from "../app/account-sources.js";
import { AccountRegistry } from "../app/accounts.js";
import type { LoadedAccount } from "../domain/accounts.js";
import { checkAccountEntry, checkAccountEntryText, validateTerminalAccountEntry } from "./account-entry.js";

const hash = "scrypt$16384$8$1$AAAA$BBBB";
const good = { login: "kiosk9", passwordHash: hash, institutionId: "EAST" };
const loaded = (entry: Record<string, unknown>): LoadedAccount => {
  const checked = checkAccountEntry(String(entry.login), entry);
  if (!checked.ok) throw new Error(checked.problems.join("; "));
  return checked.loaded;
};

describe("a terminal account entry managed at run time", () => {
  it("is checked by the accounts file's schema and rules, worded relative to the entry", () => {
    expect(validateTerminalAccountEntry("kiosk9", good)).toEqual([]);
    expect(validateTerminalAccountEntry("kiosk9", { ...good, timeZone: "Mars/Olympus" })).toEqual(['timeZone "Mars/Olympus" is not an IANA time zone']);
    expect(validateTerminalAccountEntry("kiosk9", { ...good, shoeSize: 44 })).toEqual(["/ must NOT have additional properties"]);
    expect(validateTerminalAccountEntry("kiosk9", { ...good, terminalPassword: "blank" })).toEqual([
      "passwordHash is not used when terminalPassword is blank; remove it",
      "terminalPassword blank needs allowedNetworks",
    ]);
  });

  it("must be stored under its own login, which must be a KV key, and be a JSON object", () => {
    expect(validateTerminalAccountEntry("kiosk8", good)).toEqual(['/login must be "kiosk8", the key the entry is stored under']);
    expect(validateTerminalAccountEntry("kiosk 9", { ...good, login: "kiosk 9" })[0]).toMatch(/cannot be a KV key/);
    expect(validateTerminalAccountEntry("kiosk9", [good])).toEqual(["/ must be object"]);
    expect(checkAccountEntryText("kiosk9", "login: kiosk9")).toMatchObject({ ok: false, problems: [expect.stringMatching(/^not JSON/)] });
    expect(checkAccountEntry("kiosk9", good)).toMatchObject({ ok: true, loaded: { account: { login: "kiosk9", institutionId: "EAST", active: true } } });
  });

  it("gives way to the file's login and to an address the file binds; closes what was switched off or went away", () => {
    const registry = new AccountRegistry();
    const sources = new AccountSources(registry, createLogger({ service: "test", level: "silent" }));
    const file = [loaded({ login: "kiosk1", passwordHash: hash, institutionId: "MAIN", bindAddresses: ["10.0.0.1"] })];
    sources.setFile(file);
    expect([...sources.setKv("kiosk1", loaded({ ...good, login: "kiosk1" }))]).toEqual([]);
    expect(registry.get("kiosk1")?.account.institutionId).toBe("MAIN");
    sources.setKv("sorter9", loaded({ ...good, login: "sorter9", bindAddresses: ["10.0.0.1"] }));
    expect(registry.get("sorter9")).toBeUndefined();
    sources.setKv("kiosk9", loaded(good));
    expect(registry.get("kiosk9")?.account.institutionId).toBe("EAST");
    expect([...sources.setKv("kiosk9", loaded({ ...good, active: false }))]).toEqual(["kiosk9"]);
    sources.setKv("kiosk9", loaded(good));
    expect([...sources.setKv("kiosk9", undefined)]).toEqual(["kiosk9"]);
    // The file taking a login over from the bucket keeps its kiosks connected.
    sources.setKv("kiosk7", loaded({ ...good, login: "kiosk7" }));
    expect([...sources.setFile([...file, loaded({ ...good, login: "kiosk7", institutionId: "MAIN" })])]).toEqual([]);
  });
});
