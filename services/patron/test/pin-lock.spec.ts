import { commands, patron } from "@circulate/contracts";
import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accepted, cmd, Harness, MAIN, MAX_WRONG_PINS, PIN, ref, refused, standingOf } from "./support.js";

const R = commands.RefusalReason;
const LOCK_MINUTES = 15;
const MINUTE = 60_000;

/** The service's clock, moved by the tests (the lock time is judged on it). */
let clockMs = Date.now();

describe("PIN lock-out: every message says so, it expires, staff lift it", () => {
  const h = new Harness();
  beforeAll(async () => {
    await h.start({ now: () => new Date(clockMs) });
    await h.seedLibrary();
    await h.api.upsertInstitutions({
      institutions: [
        { institutionId: MAIN, name: "Main Library", timeZone: "America/New_York", currency: "USD", consortiumId: "", maxWrongPins: MAX_WRONG_PINS, pinLockMinutes: LOCK_MINUTES },
      ],
    });
  });
  afterAll(() => h.stop());

  async function lock(barcode: string): Promise<void> {
    await h.addPatron(barcode);
    for (let i = 0; i < MAX_WRONG_PINS; i++) await h.send(cmd.status(barcode, "0000"));
    expect(await h.row(barcode)).toMatchObject({ pin_locked: true });
  }

  const verify = (barcode: string, pin?: string) =>
    new Promise<patron.VerifyPatronResponse>((resolve, reject) =>
      h.patrons.verifyPatron(patron.VerifyPatronRequest.fromPartial({ patron: ref(barcode), pin, correlationId: `c-${barcode}-${Math.random()}` }), (err, res) =>
        err ? reject(err) : resolve(res),
      ),
    );

  it("23 and 63 report the lock (pin_locked, CQ=N) with the right PIN, a wrong one or none, as VerifyPatron does for 11", async () => {
    clockMs = Date.now();
    await lock("L200");
    expect(standingOf(await h.send(cmd.status("L200", PIN)))).toMatchObject({ pinLocked: true, pinValid: false, validPatron: true });
    expect(standingOf(await h.send(cmd.status("L200", "9999")))).toMatchObject({ pinLocked: true, pinValid: false });
    expect(standingOf(await h.send(cmd.status("L200")))).toMatchObject({ pinLocked: true });
    const info = accepted(await h.send(cmd.information("L200", commands.PatronInformationSummary.UNSPECIFIED, {}, PIN)), "getPatronInformation");
    expect(info.standing).toMatchObject({ pinLocked: true, pinValid: false });
    expect(await verify("L200", PIN)).toMatchObject({ pinLocked: true, standing: { pinLocked: true, pinValid: false } });
    // The lock-setting 23 already said so.
    await h.addPatron("L201");
    for (let i = 1; i < MAX_WRONG_PINS; i++) expect(standingOf(await h.send(cmd.status("L201", "0000"))).pinLocked).toBe(false);
    expect(standingOf(await h.send(cmd.status("L201", "0000"))).pinLocked).toBe(true);
  });

  it("a patron who is not locked is never reported locked", async () => {
    await h.addPatron("L202");
    expect(standingOf(await h.send(cmd.status("L202", PIN)))).toMatchObject({ pinLocked: false, pinValid: true });
  });

  it("the lock expires after the institution's lock time: then the right PIN works and the count starts over", async () => {
    clockMs = Date.now();
    await lock("L203");
    clockMs += LOCK_MINUTES * MINUTE - 1_000;
    expect(standingOf(await h.send(cmd.status("L203", PIN)))).toMatchObject({ pinLocked: true, pinValid: false });
    clockMs += 1_000;
    expect(standingOf(await h.send(cmd.status("L203", PIN)))).toMatchObject({ pinLocked: false, pinValid: true });
    const stream = await h.stream("L203");
    expect(stream.at(-1)).toMatchObject({ type: "PinUnlocked", data: { staff: "", expired: true } });
    expect(await h.row("L203")).toMatchObject({ pin_locked: false, pin_failures: 0 });
    // One wrong PIN now is the first of a fresh count.
    expect(standingOf(await h.send(cmd.status("L203", "0000")))).toMatchObject({ pinLocked: false, pinValid: false });
    expect(await h.row("L203")).toMatchObject({ pin_locked: false, pin_failures: 1 });
  });

  it("the lock event says until when, under the institution's lock time", async () => {
    clockMs = Date.now();
    await lock("L204");
    const lockEvent = (await h.stream("L204")).find((e) => e.type === "PinLocked");
    expect(lockEvent?.data).toMatchObject({
      lockedAt: new Date(clockMs).toISOString(),
      lockedUntil: new Date(clockMs + LOCK_MINUTES * MINUTE).toISOString(),
    });
    const published = await h.published(lockEvent!.eventId);
    expect(published.event).toMatchObject({
      type: "PinLocked",
      event: { lockedUntil: new Date(clockMs + LOCK_MINUTES * MINUTE), consecutiveFailures: MAX_WRONG_PINS },
    });
  });

  it("the admin UnlockPin lifts the lock and records who did it; without a name it is refused and changes nothing", async () => {
    clockMs = Date.now();
    await lock("L205");
    const before = (await h.stream("L205")).length;
    await expect(h.api.unlockPin("L205", "")).rejects.toMatchObject({ code: grpc.status.INVALID_ARGUMENT });
    expect(await h.stream("L205")).toHaveLength(before);
    const unlocked = await h.api.unlockPin("L205", "jdoe");
    expect(unlocked.patron).toMatchObject({ pinLocked: false });
    const last = (await h.stream("L205")).at(-1)!;
    expect(last).toMatchObject({ type: "PinUnlocked", data: { staff: "jdoe", expired: false } });
    expect((await h.published(last.eventId)).event).toMatchObject({ type: "PinUnlocked", event: { staff: "jdoe", expired: false } });
    expect(standingOf(await h.send(cmd.status("L205", PIN)))).toMatchObject({ pinLocked: false, pinValid: true });
  });

  it("25 with the right PIN on a locked card is refused as locked and lifts nothing (peers' 25 does not clear PIN failures)", async () => {
    clockMs = Date.now();
    await lock("L206");
    const refusal = refused(await h.send(cmd.enable("L206", PIN)));
    expect(refusal.reason).toBe(R.PATRON_PIN_LOCKED);
    expect(refusal.patron).toMatchObject({ pinLocked: true });
    expect(await h.row("L206")).toMatchObject({ pin_locked: true });
  });
});
