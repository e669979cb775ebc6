/**
 * Response profiles against the whole stack and the demo library, as kiosk transcripts:
 * the exact bytes sent and received. The gateway's clock (transaction date) reads `<now>`.
 * Accounts (kiosk1's password): alma1 (Alma's extended fines and fees), floor1 (the
 * built-in `private` profile: no address, e-mail, phone or birth date), sierra1 (e-mail in 24).
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_ACCOUNTS_FILE, type DemoDeployment, startDemo } from "./support/gateway.js";
import { Kiosk } from "./support/kiosk.js";

const NOW = /\d{8} {4}\d{6}/;
const masked = (raw: string) => raw.replace(NOW, "<now>");
const ALL = "[checkout, checkin, renew, feePaid, holds, patron, item]";
const P0002_FINES = "6300120250115    103005   Y      AOMAIN|AAP0002|AC|AD1234|\r";
/** P0002 owes 12.50 over a 10.00 limit: charge, renewal and hold privileges denied, excessive fines. */
const P0002_STATUS = "YY Y      Y   ";

describe("response profiles on the demo library", () => {
  let demo: DemoDeployment;
  let dir: string | undefined;
  const kiosks: Kiosk[] = [];
  const login = async (name: string) => {
    const k = await Kiosk.connect(demo.gateway.tcpPort);
    kiosks.push(k);
    expect((await k.askRaw(`9300CN${name}|COkiosk1pw|\r`)).raw).toBe("941");
    return k;
  };

  beforeAll(async () => {
    const accounts = await readFile(DEMO_ACCOUNTS_FILE, "utf8");
    const hash = /login: kiosk1\n\s+passwordHash: "([^"]+)"/.exec(accounts)?.[1];
    const account = (name: string, profile: string) =>
      `\n  - login: ${name}\n    passwordHash: "${hash}"\n    institutionId: MAIN\n    permissions: ${ALL}\n    responseProfile: ${profile}\n`;
    dir = await mkdtemp(join(tmpdir(), "circ-e2e-profiles-"));
    const accountsFile = join(dir, "accounts.yaml");
    await writeFile(accountsFile, accounts + account("alma1", "alma") + account("floor1", "private") + account("sierra1", "sierra"));
    demo = await startDemo({ gateway: { accountsFile } });
  });
  afterAll(async () => {
    for (const k of kiosks) k.close();
    await demo?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("alma: 64 carries a group per open charge, a 37 pays one by EK, and the next 64 has the other only", async () => {
    const alma = await login("alma1");
    const first = masked((await alma.askRaw(P0002_FINES)).raw);
    // Fee ids are the service's (derived from the imported DEMO-C1 and DEMO-C2): read them as a kiosk would.
    const [overdue, damage] = [...first.matchAll(/\|EK([^|]+)\|/g)].map((m) => m[1]);
    expect(first).toBe(
      `64${P0002_STATUS}001<now>000000000000000200000000AOMAIN|AAP0002|AECharles Babbage|CA0005|CB0020|BLY|CQY|BHUSD|BV12.50|CC10.00|` +
        `AV${overdue} 7.50 "overdue" Overdue: On the Economy of Machinery and Manufactures|AV${damage} 5.00 "damage" Damaged dust jacket|` +
        "BD1 Dorset Street, London W1U 4EG|BEcharles@example.org|BF+1 212 555 0102|" +
        `EBI0002|ETOn the Economy of Machinery and Manufactures|EC04|EDoverdue|EF7.50|EK${overdue}|BZ${overdue}|` +
        `EB|ET|EC03|EDdamage|EF5.00|EK${damage}|BZ${damage}|`,
    );
    const paid = masked((await alma.askRaw(`3720250115    1031000301USDBV5.00|AOMAIN|AAP0002|AC|AD1234|EK${damage}|\r`)).raw);
    const receipt = /\|BK([^|]+)\|/.exec(paid)?.[1];
    expect(paid).toBe(
      `38Y<now>AOMAIN|AAP0002|BK${receipt}|AFPayment accepted. Thank you.|AFBalance owed: 7.50 USD.|AGReceipt ${receipt}|AGPaid 5.00 USD|AGBalance 7.50 USD|`,
    );
    const after = masked((await alma.askRaw(P0002_FINES)).raw);
    expect(after).toContain(`|BV7.50|`);
    expect(after).toContain(`|EBI0002|ETOn the Economy of Machinery and Manufactures|EC04|EDoverdue|EF7.50|EK${overdue}|BZ${overdue}|`);
    expect(after).not.toContain(damage);
  });

  it("private: the 64 leaves out BD, BE and BF; everything else as the default profile sends it", async () => {
    const floor = await login("floor1");
    const raw = masked((await floor.askRaw(P0002_FINES)).raw);
    expect(raw).toMatch(/^64.{14}001<now>.{24}AOMAIN\|AAP0002\|AECharles Babbage\|BZ0010\|CA0005\|CB0020\|BLY\|CQY\|/);
    expect(raw).not.toMatch(/\|B[DEF]/);
    expect(raw).toContain("|PCadult|");
  });

  it("sierra: the 24 carries the patron's e-mail, so the kiosk can send a receipt", async () => {
    const sierra = await login("sierra1");
    expect(masked((await sierra.askRaw("2300120250115    103005AOMAIN|AAP0001|AC|AD1234|\r")).raw)).toBe(
      "24              001<now>AOMAIN|AAP0001|AEAda Lovelace|BLY|CQY|BHUSD|BV0.00|BD12 St James's Square, London SW1Y 4JH|BEada@example.org|BF+1 212 555 0101|",
    );
  });
});
