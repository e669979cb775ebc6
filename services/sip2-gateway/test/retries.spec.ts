import { Kvm } from "@nats-io/kv";
import { connect } from "@nats-io/transport-node";
import { parseResponse } from "@circulate/sip2";
import { terminalBucketName } from "../src/adapters/terminal-history-kv.js";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PERMISSIONS } from "../src/domain/terminal.js";
import {
  accountsFile,
  backendDouble,
  captureLogs,
  createTestNats,
  Kiosk,
  msg,
  type RunningGateway,
  request,
  startGateway,
  testConfig,
} from "./harness.js";

const everything = [...PERMISSIONS];
// One transaction date for a whole run, as Koha's emulator sends: identical bytes for different transactions.
const WHEN = new Date("2025-01-15T10:30:05Z");
const checkin = (item: string) =>
  request({ code: "09", noBlock: false, transactionDate: WHEN, returnDate: WHEN, currentLocation: "", institutionId: "MAIN", itemIdentifier: item, terminalPassword: "" });
const parse = (bytes: Uint8Array) => {
  const r = parseResponse(bytes, { timeZone: "Europe/Oslo", charset: "ibm850" });
  if (!r.ok) throw new Error(`unreadable response: ${r.error.reason}`);
  return r.message;
};
const itemInformation = (item: string) => request({ code: "17", transactionDate: WHEN, institutionId: "MAIN", itemIdentifier: item });

describe("retries: the same request sent again as the terminal's next request, and nothing else", () => {
  const nats = createTestNats();
  const backend = backendDouble(nats.url, nats.subjectPrefix);
  let files: Awaited<ReturnType<typeof accountsFile>>;
  const gateways: RunningGateway[] = [];
  const kiosks: Kiosk[] = [];
  const start = async () => {
    const gw = await startGateway(testConfig(nats.url, nats.subjectPrefix, files.file), { logger: captureLogs().logger });
    gateways.push(gw);
    return gw;
  };
  const loggedIn = async (gw: RunningGateway, login = "kiosk1", password = "kiosk1pw") => {
    const k = await Kiosk.tcp(gw.tcp.port);
    kiosks.push(k);
    expect(await k.ask(msg.login(login, password))).toBe("941");
    return k;
  };
  const sent = (c: string) => backend.seen.filter((e) => e.command?.$case === c);

  beforeAll(async () => {
    await backend.start();
    files = await accountsFile([
      { login: "kiosk1", password: "kiosk1pw", institutionId: "MAIN", permissions: everything, timeoutMs: 1_500 },
      { login: "brief", password: "briefpw", institutionId: "MAIN", permissions: everything, timeoutMs: 1_500, retryBudgetMs: 300 },
      { login: "sorter", password: "sorterpw", institutionId: "MAIN", permissions: ["checkin"], timeoutMs: 1_500 },
    ]);
  });
  afterAll(async () => {
    for (const k of kiosks) k.close();
    for (const gw of gateways) await gw.stop();
    await backend.close();
    await files?.remove();
    await nats.cleanup();
  });
  beforeEach(() => {
    backend.delay = () => 0;
    backend.seen.length = 0;
  });

  it("sends checkout, checkin, checkout of identical bytes as three transactions with three command ids", async () => {
    const k = await loggedIn(gateways[0] ?? (await start()));
    const out = msg.checkout("P0001", "I0001");
    await k.ask(out);
    await k.ask(checkin("I0001"));
    await k.ask(out);
    const ids = [...sent("checkOutItem"), ...sent("checkInItem")].map((e) => e.commandId);
    expect(sent("checkOutItem")).toHaveLength(2);
    expect(new Set(ids).size).toBe(3);
  });

  it("answers a resend on the same connection from the first answer, asking the service once", async () => {
    const k = await loggedIn(gateways[0] ?? (await start()));
    const out = msg.checkout("P0002", "I0002", 1);
    const a = await k.askBytes(out);
    const b = await k.askBytes(out);
    expect(b.equals(a)).toBe(true);
    expect(sent("checkOutItem")).toHaveLength(1);
  });

  it("asks a query afresh every time, even with identical bytes", async () => {
    const k = await loggedIn(gateways[0] ?? (await start()));
    await k.ask(itemInformation("I0003"));
    await k.ask(itemInformation("I0003"));
    const asked = sent("getItemInformation");
    expect(asked).toHaveLength(2);
    expect(asked[0]?.commandId).not.toBe(asked[1]?.commandId);
  });

  it("takes identical bytes after a query in between as a new transaction", async () => {
    const k = await loggedIn(gateways[0] ?? (await start()));
    const out = msg.checkout("P0004", "I0004");
    await k.ask(out);
    await k.ask(itemInformation("I0004"));
    await k.ask(out);
    const outs = sent("checkOutItem");
    expect(outs).toHaveLength(2);
    expect(outs[0]?.commandId).not.toBe(outs[1]?.commandId);
  });

  it("writes the shared history once for queries in a row: the entry already says nothing is to be replayed", async () => {
    const gw = gateways[0] ?? (await start());
    const k = await loggedIn(gw);
    const kv = await new Kvm(await connect({ servers: nats.url })).open(terminalBucketName(nats.subjectPrefix.toUpperCase()));
    // Every write to the bucket is one message on its stream.
    const revision = async () => (await kv.status()).streamInfo.state.last_seq;
    await k.ask(checkin("I0005"));
    await k.ask(itemInformation("I0005"));
    // The write of a query is not waited for: the next requests' order on the connection settles it.
    await k.ask(itemInformation("I0006"));
    const afterFirstQuery = await revision();
    await k.ask(itemInformation("I0007"));
    await k.ask(itemInformation("I0008"));
    expect(await revision()).toBe(afterFirstQuery);
    await k.ask(checkin("I0005"));
    expect(await revision()).toBeGreaterThan(afterFirstQuery);
  });

  it("takes identical bytes after the account's retry budget as a new transaction (a frozen clock)", async () => {
    const k = await loggedIn(gateways[0] ?? (await start()), "brief", "briefpw");
    const out = msg.checkout("P0005", "I0005");
    await k.ask(out);
    await new Promise((r) => setTimeout(r, 400));
    await k.ask(out);
    const outs = sent("checkOutItem");
    expect(outs).toHaveLength(2);
    expect(outs[0]?.commandId).not.toBe(outs[1]?.commandId);
  });

  it("recognises the resend of a kiosk that reconnects to another replica, under the same command id", async () => {
    const a = gateways[0] ?? (await start());
    const b = await start();
    const out = msg.checkout("P0006", "I0006", 2);
    await (await loggedIn(a)).ask(out);
    await (await loggedIn(b)).ask(out);
    const outs = sent("checkOutItem");
    expect(outs).toHaveLength(2);
    expect(outs[1]?.commandId).toBe(outs[0]?.commandId);
    expect(outs[1]?.correlationId).not.toBe(outs[0]?.correlationId);
  });

  it("recognises a resend after the gateway restarted: the history outlives the process", async () => {
    const before = await start();
    const out = msg.checkout("P0007", "I0007", 3);
    await (await loggedIn(before)).ask(out);
    await before.stop();
    gateways.splice(gateways.indexOf(before), 1);
    const after = await start();
    const k = await loggedIn(after);
    await k.ask(out);
    const outs = sent("checkOutItem");
    expect(outs).toHaveLength(2);
    expect(outs[1]?.commandId).toBe(outs[0]?.commandId);
    // …and the request after that is new again.
    await k.ask(checkin("I0007"));
    await k.ask(out);
    expect(new Set(sent("checkOutItem").map((e) => e.commandId)).size).toBe(2);
  });

  it("does not take another terminal's request in between for this one's retry: terminals are told apart by location", async () => {
    const gw = gateways[0] ?? (await start());
    const front = await Kiosk.tcp(gw.tcp.port);
    const back = await Kiosk.tcp(gw.tcp.port);
    kiosks.push(front, back);
    expect(await front.ask(msg.login("sorter", "sorterpw", undefined, "FRONT"))).toBe("941");
    expect(await back.ask(msg.login("sorter", "sorterpw", undefined, "BACK"))).toBe("941");
    await front.ask(checkin("I0008"));
    await back.ask(checkin("I0009"));
    front.close();
    const again = await Kiosk.tcp(gw.tcp.port);
    kiosks.push(again);
    expect(await again.ask(msg.login("sorter", "sorterpw", undefined, "FRONT"))).toBe("941");
    await again.ask(checkin("I0008"));
    const ins = sent("checkInItem").filter((e) => e.command?.$case === "checkInItem" && e.command.value.item?.barcode === "I0008");
    // Recognised as the retry it is: answered from this replica's memory, not sent as a second checkin.
    expect(ins).toHaveLength(1);
  });

  it("tells kiosks sharing one login and location apart by address: a reconnecting kiosk's resend is still a retry", async () => {
    const gw = gateways[0] ?? (await start());
    const a = await Kiosk.tcp(gw.tcp.port, "127.0.0.4");
    const b = await Kiosk.tcp(gw.tcp.port, "127.0.0.5");
    kiosks.push(a, b);
    expect(await a.ask(msg.login("sorter", "sorterpw"))).toBe("941");
    expect(await b.ask(msg.login("sorter", "sorterpw"))).toBe("941");
    await a.ask(checkin("I0011"));
    await b.ask(checkin("I0012"));
    a.close();
    const again = await Kiosk.tcp(gw.tcp.port, "127.0.0.4");
    kiosks.push(again);
    expect(await again.ask(msg.login("sorter", "sorterpw"))).toBe("941");
    await again.ask(checkin("I0011"));
    const ins = sent("checkInItem").filter((e) => e.command?.$case === "checkInItem" && e.command.value.item?.barcode === "I0011");
    expect(ins).toHaveLength(1);
  });

  it("a transaction applied after the kiosk was told it timed out: counted, and the kiosk's retry gets the applied outcome", async () => {
    const gw = gateways[0] ?? (await start());
    const k = await loggedIn(gw);
    const out = msg.checkout("P0010", "I0010", 4);
    backend.delay = (e) => (sent("checkOutItem").length === 1 && e.command?.$case === "checkOutItem" ? 2_000 : 0);
    const first = parse(await k.askBytes(out, 3_000));
    expect(first).toMatchObject({ code: "12", ok: false });
    // The first attempt's outcome lands after the answer: the metric says so.
    await new Promise((r) => setTimeout(r, 900));
    const metrics = await (await fetch(`${gw.ops.url}/metrics`)).text();
    expect(metrics).toMatch(/^sip2_late_applied_outcomes_total [1-9]/m);
    const again = parse(await k.askBytes(out));
    expect(again).toMatchObject({ code: "12", ok: true });
    const outs = sent("checkOutItem");
    expect(outs).toHaveLength(2);
    expect(outs[1]?.commandId).toBe(outs[0]?.commandId);
  });
  it("a kiosk re-sending to a gateway that took over the reply address is answered the first attempt's decision", async () => {
    // A gateway restarted at the address of one that died gets the outcomes of the dead one's
    // commands: here the first gateway advertises the second's reply address.
    const second = gateways[0] ?? (await start());
    const first = await startGateway(testConfig(nats.url, nats.subjectPrefix, files.file, { advertiseAddress: second.replyTo }), {
      logger: captureLogs().logger,
    });
    gateways.push(first);
    const out = msg.checkout("P0011", "I0011", 5);
    let attempts = 0;
    // The first attempt is decided after 800 ms; the re-send's own decision would take 1.2 s more.
    backend.delay = (e) => (e.command?.$case !== "checkOutItem" ? 0 : ++attempts === 1 ? 800 : 1_200);
    const gone = await loggedIn(first);
    gone.send(out);
    await new Promise((r) => setTimeout(r, 100));
    gone.close();
    const k = await loggedIn(second);
    const sentAt = Date.now();
    const again = parse(await k.askBytes(out, 3_000));
    expect(again).toMatchObject({ code: "12", ok: true });
    expect(Date.now() - sentAt).toBeLessThan(1_000);
    const outs = sent("checkOutItem");
    expect(outs).toHaveLength(2);
    expect(outs[1]?.commandId).toBe(outs[0]?.commandId);
    expect(outs[1]?.correlationId).not.toBe(outs[0]?.correlationId);
  });
});
