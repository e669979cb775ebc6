import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cmd, Harness, MAIN, PIN, patronRecord, standingOf } from "./support.js";

describe("UpsertPatrons (bulk import)", () => {
  const h = new Harness();
  const countPatrons = async () => (await h.service.db.selectFrom("patrons").select("patron_id").execute()).length;
  beforeAll(async () => {
    await h.start();
    await h.seedLibrary();
  });
  afterAll(() => h.stop());

  it("is idempotent: the same batch twice creates each patron once and the second run writes nothing", async () => {
    const batch = [patronRecord("U600"), patronRecord("U601", { pin: undefined })];
    expect(await h.api.upsertPatrons({ patrons: batch })).toEqual({ created: 2, updated: 0, unchanged: 0 });
    const before = { u600: await h.stream("U600"), u601: await h.stream("U601"), row: await h.row("U600") };
    expect(before.u600.map((e) => e.type)).toEqual(["PatronRegistered", "PinChanged"]);
    expect(before.u601.map((e) => e.type)).toEqual(["PatronRegistered"]);

    expect(await h.api.upsertPatrons({ patrons: batch })).toEqual({ created: 0, updated: 0, unchanged: 2 });
    expect(await h.stream("U600")).toEqual(before.u600);
    expect(await h.stream("U601")).toEqual(before.u601);
    expect(await h.row("U600")).toEqual(before.row);
    const rows = await h.service.db.selectFrom("patrons").selectAll().where("barcode", "in", ["U600", "U601"]).execute();
    expect(rows).toHaveLength(2);
  });

  it("a PIN 1234 set through the import verifies at a kiosk; another PIN does not", async () => {
    await h.api.upsertPatrons({ patrons: [patronRecord("U602", { pin: "1234" })] });
    expect(standingOf(await h.send(cmd.status("U602", "1234"))).pinValid).toBe(true);
    expect(standingOf(await h.send(cmd.status("U602", "4321"))).pinValid).toBe(false);
    expect((await h.api.getPatron("U602")).patron).toMatchObject({ pinSet: true });
  });

  it("the PIN hash is stored in the event but never published", async () => {
    await h.api.upsertPatrons({ patrons: [patronRecord("U603")] });
    const changed = (await h.stream("U603")).find((e) => e.type === "PinChanged")!;
    const hash = (changed.data as { pinHash: string }).pinHash;
    expect(hash).toMatch(/^scrypt\$/);
    const published = await h.published(changed.eventId);
    expect(published.event).toEqual({ type: "PinChanged", event: { patronId: (await h.row("U603"))!.patron_id } });
    expect(Buffer.from(published.envelope.payload).toString("latin1")).not.toContain(hash.split("$").at(-1));
  });

  it("a changed record updates the patron (PatronDetailsUpdated with the changed fields); a new PIN replaces the old", async () => {
    await h.api.upsertPatrons({ patrons: [patronRecord("U604")] });
    const result = await h.api.upsertPatrons({ patrons: [patronRecord("U604", { name: "Renamed", phone: "555-0199", pin: "8888" })] });
    expect(result).toEqual({ created: 0, updated: 1, unchanged: 0 });
    const stream = await h.stream("U604");
    const updated = stream.find((e) => e.type === "PatronDetailsUpdated")!;
    expect((updated.data as { changed: string[] }).changed.sort()).toEqual(["name", "phone"]);
    expect(stream.filter((e) => e.type === "PinChanged")).toHaveLength(2);
    expect(await h.row("U604")).toMatchObject({ name: "Renamed", phone: "555-0199" });
    expect(standingOf(await h.send(cmd.status("U604", "8888"))).pinValid).toBe(true);
    expect(standingOf(await h.send(cmd.status("U604", PIN))).pinValid).toBe(false);
  });

  it("a batch with one invalid record fails INVALID_ARGUMENT naming it, and writes nothing at all", async () => {
    const before = await countPatrons();
    const eventsBefore = (await h.service.db.selectFrom("events").select("event_id").execute()).length;
    const call = h.api.upsertPatrons({
      patrons: [patronRecord("U605"), patronRecord("U606", { name: "" }), patronRecord("U607", { birthDate: "1999-02-30" })],
    });
    await expect(call).rejects.toMatchObject({ code: grpc.status.INVALID_ARGUMENT });
    const err = (await call.catch((e: grpc.ServiceError) => e)) as grpc.ServiceError;
    expect(err.details).toContain("patrons[1]");
    expect(err.details).toContain("patrons[2]");
    expect(await countPatrons()).toBe(before);
    expect((await h.service.db.selectFrom("events").select("event_id").execute()).length).toBe(eventsBefore);
    expect((await h.api.getPatron("U605")).patron).toBeUndefined();
  });

  it("refuses a batch naming the same barcode twice, an empty PIN and a missing barcode", async () => {
    const cases = [
      [patronRecord("U608"), patronRecord("U608")],
      [patronRecord("U609", { pin: "" })],
      [patronRecord("", { patron: { institutionId: MAIN, barcode: "" } })],
    ];
    for (const patrons of cases) {
      await expect(h.api.upsertPatrons({ patrons })).rejects.toMatchObject({ code: grpc.status.INVALID_ARGUMENT });
    }
    expect((await h.api.getPatron("U608")).patron).toBeUndefined();
    expect((await h.api.getPatron("U609")).patron).toBeUndefined();
  });

  it("imports a block reason as a block", async () => {
    await h.api.upsertPatrons({ patrons: [patronRecord("U610", { blockReason: "Migrated block" })] });
    expect(await h.row("U610")).toMatchObject({ blocked: true, block_message: "Migrated block" });
    expect(standingOf(await h.send(cmd.status("U610"))).status).toMatchObject({ chargePrivilegesDenied: true });
  });
});
