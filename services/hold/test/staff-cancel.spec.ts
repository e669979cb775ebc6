import { hold as holdpb } from "@circulate/contracts";
import { accepted } from "@circulate/service/testing";
import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, itemRef, patronRef, placeHold, startHarness } from "./hold.harness.js";

const byPatron = (barcode: string) => ({ key: { $case: "patron" as const, value: patronRef(barcode) }, includeClosed: false });
const code = (p: Promise<unknown>) => p.then(() => grpc.status.OK, (err: grpc.ServiceError) => err.code);

describe("CancelHold: staff cancel a hold by id with the rule of 15 -, recorded with who and why", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it("cancels the hold: HoldCancelled names the staff member and the reason (no terminal), carries the hold after it; the queue moves up; again records nothing", async () => {
    const first = accepted(await h.send(placeHold("P0001", { item: itemRef("I0002") })), "placeHold").holdId;
    accepted(await h.send(placeHold("P0005", { item: itemRef("I0002") })), "placeHold");

    const { hold } = await h.rpc.cancelHold({ holdId: first, staff: " jdoe ", reason: " patron phoned " });
    expect(hold).toMatchObject({ holdId: first, status: holdpb.HoldStatus.CANCELLED });
    const cancelled = (await h.storedEvents("bib-dune")).at(-1)!;
    expect(cancelled).toMatchObject({ type: "HoldCancelled", data: { holdId: first, staff: "jdoe", reason: "patron phoned", patronId: "pat-1" } });
    expect(cancelled.data.terminalAccount ?? "").toBe("");
    const published = await h.published(cancelled.eventId);
    expect(published.event).toMatchObject({ type: "HoldCancelled", event: { staff: "jdoe", current: { holdId: first, status: holdpb.HoldStatus.CANCELLED } } });
    expect((await h.rpc.listHolds(byPatron("P0005"))).holds.map((x) => x.queuePosition)).toEqual([1]);

    const again = await h.rpc.cancelHold({ holdId: first, staff: "asmith", reason: "double click" });
    expect(again.hold).toMatchObject({ holdId: first, status: holdpb.HoldStatus.CANCELLED });
    expect((await h.storedEvents("bib-dune")).at(-1)!.eventId).toBe(cancelled.eventId);
  });

  it("refuses INVALID_ARGUMENT without hold id, staff or reason, NOT_FOUND for an unknown hold; nothing recorded", async () => {
    const holdId = accepted(await h.send(placeHold("P0006", { item: itemRef("I0001") })), "placeHold").holdId;
    const before = (await h.storedEvents("bib-frankenstein")).length;
    expect(await code(h.rpc.cancelHold({ holdId: "", staff: "jdoe", reason: "x" }))).toBe(grpc.status.INVALID_ARGUMENT);
    expect(await code(h.rpc.cancelHold({ holdId, staff: "  ", reason: "x" }))).toBe(grpc.status.INVALID_ARGUMENT);
    expect(await code(h.rpc.cancelHold({ holdId, staff: "jdoe", reason: "" }))).toBe(grpc.status.INVALID_ARGUMENT);
    expect(await code(h.rpc.cancelHold({ holdId: "no-such-hold", staff: "jdoe", reason: "x" }))).toBe(grpc.status.NOT_FOUND);
    expect(await h.storedEvents("bib-frankenstein")).toHaveLength(before);
    expect((await h.rpc.listHolds(byPatron("P0006"))).holds).toHaveLength(1);
  });

  it("a hold already fulfilled is refused FAILED_PRECONDITION", async () => {
    const holdId = accepted(await h.send(placeHold("P0001", { item: itemRef("I0011") })), "placeHold").holdId;
    await h.publish.checkout("P0001", "I0011");
    await h.eventually(
      () => h.storedEvents("bib-war-and-peace"),
      (s) => s.some((e) => e.type === "HoldFulfilled"),
    );
    expect(await code(h.rpc.cancelHold({ holdId, staff: "jdoe", reason: "x" }))).toBe(grpc.status.FAILED_PRECONDITION);
    expect((await h.storedEvents("bib-war-and-peace")).at(-1)!.type).toBe("HoldFulfilled");
  });
});
