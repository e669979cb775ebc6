import { commands, common } from "@circulate/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accepted, cmd, flagsSet, Harness, MAX_WRONG_PINS, PIN, ref, refused, standingOf } from "./support.js";

const R = commands.RefusalReason;

describe("23 patron status and the PIN lock-out", () => {
  const h = new Harness();
  beforeAll(async () => {
    await h.start();
    await h.seedLibrary();
  });
  afterAll(() => h.stop());

  it("answers a good patron with the 14 flags clear, name, language, CQ=Y and fees owed from the fee service's events", async () => {
    await h.addPatron("P100", { name: "Ada Lovelace", language: common.Language.ENGLISH });
    const p = await h.patron("P100");
    await h.peers.lend(p, "I1", 7);
    await h.peers.charge(p, 125);
    await h.peers.charge(p, 50);

    const outcome = await h.send(cmd.status("P100", PIN));
    const standing = standingOf(outcome);
    const row = await h.row("P100");
    expect(standing).toMatchObject({
      patronId: row!.patron_id,
      patron: ref("P100"),
      name: "Ada Lovelace",
      language: common.Language.ENGLISH,
      validPatron: true,
      pinValid: true,
      feesOwed: { currency: "USD", amountMinor: 175 },
    });
    expect(Object.keys(standing.status!)).toHaveLength(14);
    expect(flagsSet(standing)).toEqual([]);
    // The right PIN on a clean count writes nothing.
    expect(await h.types("P100")).toEqual(["PatronRegistered", "PinChanged"]);
  });

  it("reports a wrong PIN as CQ=N, still a known patron (BL=Y), and records the failure", async () => {
    await h.addPatron("P101");
    const standing = standingOf(await h.send(cmd.status("P101", "9999")));
    expect(standing).toMatchObject({ validPatron: true, pinValid: false, name: "Patron P101" });
    const stream = await h.stream("P101");
    expect(stream.at(-1)).toMatchObject({ type: "PinFailed", data: { consecutiveFailures: 1, terminalAccount: "kiosk-1" } });
    expect(await h.row("P101")).toMatchObject({ pin_failures: 1, pin_locked: false });
  });

  it("leaves CQ unset when no PIN was sent", async () => {
    await h.addPatron("P102");
    const standing = standingOf(await h.send(cmd.status("P102")));
    expect(standing.pinValid).toBeUndefined();
    expect(standing.validPatron).toBe(true);
  });

  it("refuses an unknown barcode PATRON_NOT_FOUND with BL=N and the four privileges denied", async () => {
    const refusal = refused(await h.send(cmd.status("NOBODY", PIN)));
    expect(refusal.reason).toBe(R.PATRON_NOT_FOUND);
    expect(refusal.patron).toMatchObject({ validPatron: false, pinValid: false, name: "" });
    expect(flagsSet(refusal.patron!)).toEqual(["chargePrivilegesDenied", "holdPrivilegesDenied", "recallPrivilegesDenied", "renewalPrivilegesDenied"]);
  });

  it("the same command delivered twice gets the same reply and counts the wrong PIN once", async () => {
    await h.addPatron("P103");
    const envelope = h.envelope(cmd.status("P103", "0000"));
    const [first, second] = await h.publish(envelope, 2);
    expect(standingOf(first!).pinValid).toBe(false);
    expect(second!.result).toEqual(first!.result);
    expect([first!.replayed, second!.replayed].sort()).toEqual([false, true]);
    const [again] = await h.publish(envelope);
    expect(again!.replayed).toBe(true);
    expect(again!.result).toEqual(first!.result);
    expect((await h.types("P103")).filter((t) => t === "PinFailed")).toHaveLength(1);
    expect(await h.row("P103")).toMatchObject({ pin_failures: 1 });
  });

  it("drops a command past its deadline: DEADLINE_EXCEEDED, no PIN failure, nothing recorded", async () => {
    await h.addPatron("P104");
    const envelope = h.envelope(cmd.status("P104", "0000"), { deadline: new Date(Date.now() - 1) });
    const [outcome] = await h.publish(envelope);
    expect(refused(outcome!).reason).toBe(R.DEADLINE_EXCEEDED);
    expect(await h.types("P104")).toEqual(["PatronRegistered", "PinChanged"]);
    expect(await h.recorded(envelope.commandId)).toBe(0);
  });

  it("locks the PIN at the institution's limit of wrong PINs in a row: PinFailed ×3 then PinLocked, the last answer already locked", async () => {
    await h.addPatron("P105");
    for (let i = 1; i <= MAX_WRONG_PINS; i++) {
      expect(standingOf(await h.send(cmd.status("P105", `000${i}`))).pinValid).toBe(false);
    }
    const stream = await h.stream("P105");
    expect(stream.map((e) => e.type)).toEqual(["PatronRegistered", "PinChanged", "PinFailed", "PinFailed", "PinFailed", "PinLocked"]);
    expect(stream.filter((e) => e.type === "PinFailed").map((e) => (e.data as { consecutiveFailures: number }).consecutiveFailures)).toEqual([1, 2, 3]);
    expect(await h.row("P105")).toMatchObject({ pin_locked: true, pin_failures: MAX_WRONG_PINS });
    expect((await h.api.getPatron("P105")).patron).toMatchObject({ pinLocked: true, pinSet: true });
  });

  it("refuses the right PIN once locked (CQ=N) and records nothing for the attempt", async () => {
    await h.addPatron("P106");
    for (let i = 0; i < MAX_WRONG_PINS; i++) await h.send(cmd.status("P106", "0000"));
    const before = (await h.stream("P106")).length;
    const standing = standingOf(await h.send(cmd.status("P106", PIN)));
    expect(standing).toMatchObject({ pinValid: false, validPatron: true });
    expect(await h.stream("P106")).toHaveLength(before);
  });

  it("a wrong PIN below the limit followed by the right one resets the count (PinFailuresReset)", async () => {
    await h.addPatron("P107");
    await h.send(cmd.status("P107", "0000"));
    expect(standingOf(await h.send(cmd.status("P107", PIN))).pinValid).toBe(true);
    expect((await h.types("P107")).slice(-2)).toEqual(["PinFailed", "PinFailuresReset"]);
    expect(await h.row("P107")).toMatchObject({ pin_failures: 0, pin_locked: false });
  });

  it("staff UnlockPin lifts the lock: the right PIN verifies again and the count starts over", async () => {
    await h.addPatron("P108");
    for (let i = 0; i < MAX_WRONG_PINS; i++) await h.send(cmd.status("P108", "0000"));
    const unlocked = await h.api.unlockPin("P108");
    expect(unlocked.patron).toMatchObject({ pinLocked: false });
    expect(await h.row("P108")).toMatchObject({ pin_locked: false, pin_failures: 0 });
    expect((await h.stream("P108")).at(-1)).toMatchObject({ type: "PinUnlocked", data: { staff: "desk-staff", expired: false } });
    expect(standingOf(await h.send(cmd.status("P108", PIN))).pinValid).toBe(true);
    // One wrong PIN after the unlock is the first of a new count, not the fourth.
    expect(standingOf(await h.send(cmd.status("P108", "0000"))).pinValid).toBe(false);
    expect(await h.row("P108")).toMatchObject({ pin_locked: false, pin_failures: 1 });
  });

  it("25 patron enable does not lift a PIN lock", async () => {
    await h.addPatron("P109");
    for (let i = 0; i < MAX_WRONG_PINS; i++) await h.send(cmd.status("P109", "0000"));
    const refusal = refused(await h.send(cmd.enable("P109", PIN)));
    expect(refusal.reason).toBe(R.PATRON_PIN_LOCKED);
    expect(await h.row("P109")).toMatchObject({ pin_locked: true });
    expect(accepted(await h.send(cmd.enable("P109")), "enablePatron").standing?.validPatron).toBe(true);
    expect(await h.row("P109")).toMatchObject({ pin_locked: true });
  });
});
