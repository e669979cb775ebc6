import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PERMISSIONS } from "../src/domain/terminal.js";
import { accountsFile, backendDouble, captureLogs, createTestNats, Kiosk, type RunningGateway, startGateway, testConfig } from "./harness.js";

/**
 * Per-account terminal policies, as kiosk transcripts: the exact bytes a terminal sends and
 * gets back. The response's transaction date (the gateway's clock) reads as `<now>`.
 */
const everything = [...PERMISSIONS];
const NOW = /\d{8} {4}\d{6}/;
const masked = (response: string) => response.replace(NOW, "<now>");

const CHECKOUT_NO_PIN = "11YN20250115    103005                  AOMAIN|AAP0001|ABI0001|AC|\r";
const CHECKIN = "09N20250115    103005                  APMAIN|AOMAIN|ABI0001|AC|\r";

describe("terminal policies over a real gateway, NATS and stand-in services", () => {
  const nats = createTestNats();
  const backend = backendDouble(nats.url, nats.subjectPrefix);
  const logs = captureLogs();
  let files: Awaited<ReturnType<typeof accountsFile>>;
  let gw: RunningGateway;
  const kiosks: Kiosk[] = [];
  const open = async () => {
    const k = await Kiosk.tcp(gw.tcp.port);
    kiosks.push(k);
    return k;
  };
  const accounts = [
    { login: "selfcheck", password: "selfcheckpw", institutionId: "MAIN", permissions: everything, patronPinRequired: true },
    { login: "staff", password: "staffpw", institutionId: "MAIN", permissions: everything },
    { login: "branch", password: "branchpw", institutionId: "MAIN", permissions: everything },
    { login: "userid-only", institutionId: "MAIN", permissions: ["checkin"], terminalPassword: "blank", allowedNetworks: ["127.0.0.0/8"] },
  ];

  beforeAll(async () => {
    await backend.start();
    files = await accountsFile(accounts);
    gw = await startGateway(testConfig(nats.url, nats.subjectPrefix, files.file), { logger: logs.logger });
  });
  afterAll(async () => {
    for (const k of kiosks) k.close();
    await gw?.stop();
    await backend.close();
    await files?.remove();
    await nats.cleanup();
  });

  it("a PIN-required kiosk refuses a checkout without AD, sending nothing on", async () => {
    const k = await open();
    expect(await k.ask("9300CNselfcheck|COselfcheckpw|\r")).toBe("941");
    backend.seen.length = 0;
    expect(masked(await k.ask(CHECKOUT_NO_PIN))).toBe("120NUN<now>AOMAIN|AAP0001|ABI0001|AJ|AH|AFPlease enter your PIN.|");
    expect(backend.seen).toHaveLength(0);
  });

  it("an integration account (PIN not required) checks an item out and in without a PIN", async () => {
    const k = await open();
    expect(await k.ask("9300CNstaff|COstaffpw|\r")).toBe("941");
    backend.seen.length = 0;
    expect(masked(await k.ask(CHECKOUT_NO_PIN))).toBe(
      "121NUU<now>AOMAIN|AAP0001|ABI0001|AJZo\x89 and the Hobbit|AH20250206    005900|AFChecked out.|",
    );
    expect(masked(await k.ask(CHECKIN))).toBe("101NUN<now>AOMAIN|ABI0001|AQ|AFChecked in. Thank you.|");
    expect(backend.seen.map((e) => e.command?.$case)).toEqual(["checkOutItem", "checkInItem"]);
    expect(backend.seen[0]?.command).toMatchObject({ value: { pin: undefined } });
  });

  it("a switched-off account's open connection is closed on reload and its next login refused", async () => {
    const k = await open();
    expect(await k.ask("9300CNbranch|CObranchpw|\r")).toBe("941");
    await files.write(accounts.map((a) => (a.login === "branch" ? { ...a, active: false } : a)));
    expect(await gw.reloadAccounts()).toBe(true);
    await k.waitClosed();
    const again = await open();
    expect(await again.ask("9300CNbranch|CObranchpw|\r")).toBe("940");
    const said = logs.lines.join("");
    expect(said).toContain('"msg":"connections of a switched-off account closed"');
    expect(said).toContain('"msg":"login refused: account switched off"');
    expect(said).not.toContain("branchpw");
  });

  it("a blank-terminal-password account logs in with an empty CO only", async () => {
    const k = await open();
    expect(await k.ask("9300CNuserid-only|COguess|\r")).toBe("940");
    expect(await k.ask("9300CNuserid-only|CO|\r")).toBe("941");
    expect(masked(await k.ask(CHECKIN))).toBe("101NUN<now>AOMAIN|ABI0001|AQ|AFChecked in. Thank you.|");
  });
});
