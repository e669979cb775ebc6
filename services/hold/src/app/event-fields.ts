import type { DomainEvent, DomainEventOf } from "@circulate/contracts";

/**
 * Fields of an event that its decider cannot know (the copy's internal id, the
 * loan, the check-in, the terminal), added by the handler before it is stored.
 */
type HoldEvent = DomainEvent<"hold">;

/** Every event naming a copy gets that copy's internal id, when `itemIds` (by barcode) knows it. */
export function withItemIds(events: readonly HoldEvent[], itemIds: ReadonlyMap<string, string>): HoldEvent[] {
  return events.map((e) => {
    if (!("itemId" in e.data) || !("item" in e.data) || e.data.item === undefined) return e;
    const itemId = itemIds.get(e.data.item.barcode);
    return itemId === undefined ? e : ({ ...e, data: { ...e.data, itemId } } as HoldEvent);
  });
}

/** `fields` set on every event of `type`. */
export function withFields<T extends HoldEvent["type"]>(events: readonly HoldEvent[], type: T, fields: Partial<DomainEventOf<T>["data"]>): HoldEvent[] {
  return events.map((e) => (e.type === type ? ({ ...e, data: { ...e.data, ...fields } } as HoldEvent) : e));
}
