import { describe, expect, it } from "vitest";
import { type DomainEvent, domainEvent, fromStoredEvent, item, loan, toStoredEvent } from "../src/index.js";

describe("domain events are the protobuf messages", () => {
  it("fills what the decider does not say with proto3 defaults", () => {
    const e = domainEvent("ItemMarkedLost", { itemId: "i-1" });
    expect(e).toEqual({ type: "ItemMarkedLost", data: item.ItemMarkedLost.fromPartial({ itemId: "i-1" }) });
    expect(e.data.current).toBeUndefined();
  });

  it("stores proto3 JSON and reads back the same message", () => {
    const e = domainEvent("ItemCheckedOut", {
      loanId: "l-1",
      item: { institutionId: "MAIN", barcode: "I0001" },
      dueAt: new Date("2026-12-20T22:59:59.000Z"),
      title: "Dune",
    });
    const stored = toStoredEvent(e);
    expect(stored.data).toEqual(loan.ItemCheckedOut.toJSON(e.data));
    expect((stored.data as { dueAt: string }).dueAt).toBe("2026-12-20T22:59:59.000Z");
    expect(JSON.parse(JSON.stringify(stored.data))).toEqual(stored.data);
    expect(fromStoredEvent("loan", stored)).toEqual(e);
  });

  it("skips another service's event or an unknown type instead of throwing", () => {
    const stored = toStoredEvent(domainEvent("ItemMarkedLost", { itemId: "i-1" }));
    expect(fromStoredEvent("loan", stored)).toBeUndefined();
    expect(fromStoredEvent("item", { type: "SomethingNew", data: {} })).toBeUndefined();
    const back: DomainEvent<"item"> | undefined = fromStoredEvent("item", stored);
    expect(back?.type).toBe("ItemMarkedLost");
  });

  it("refuses to build an event type the contracts do not define", () => {
    // @ts-expect-error not an event type
    expect(() => domainEvent("NoSuchEvent", {})).toThrow(/unknown event type/);
  });
});
