// The item and loan services' events, published the way their relays do, so
// the hold service learns copies and loans as it does in production.
import { type EventOf, type EventType, eventSubject, events, item, loan, uuidv7 } from "@circulate/contracts";
import { loanAfterCheckout, publishPeerEvent } from "@circulate/service/testing";
import type { JetStreamClient } from "@nats-io/jetstream";

export interface DemoItem {
  itemId: string;
  titleId: string;
  title: string;
  homeLocation: string;
  circulating?: boolean;
  state?: item.ItemState;
}

/** The demo library's copies, as far as holds care. Barcodes are keys; all at MAIN. */
export const demoItems: Record<string, DemoItem> = {
  I0001: { itemId: "item-1", titleId: "bib-frankenstein", title: "Frankenstein", homeLocation: "MAIN" },
  I0002: { itemId: "item-2", titleId: "bib-dune", title: "Dune", homeLocation: "MAIN" },
  I0003: { itemId: "item-3", titleId: "bib-frankenstein", title: "Frankenstein", homeLocation: "EAST" },
  I0004: { itemId: "item-4", titleId: "bib-oed", title: "Oxford English Dictionary", homeLocation: "MAIN", circulating: false },
  I0005: { itemId: "item-5", titleId: "bib-hidden-figures", title: "Hidden Figures", homeLocation: "MAIN" },
  I0006: { itemId: "item-6", titleId: "bib-cosmos", title: "Cosmos", homeLocation: "MAIN" },
  I0007: { itemId: "item-7", titleId: "bib-sicp", title: "Structure and Interpretation of Computer Programs", homeLocation: "MAIN" },
  I0008: { itemId: "item-8", titleId: "bib-missing", title: "Lost Horizon", homeLocation: "MAIN", state: item.ItemState.MISSING },
  // Two copies of one title, for two checkins naming the same hold.
  I0011: { itemId: "item-11", titleId: "bib-war-and-peace", title: "War and Peace", homeLocation: "MAIN" },
  I0012: { itemId: "item-12", titleId: "bib-war-and-peace", title: "War and Peace", homeLocation: "MAIN" },
};

/** Copies on loan (barcode → borrower barcode). */
export const demoLoans: Record<string, string> = { I0005: "P0005", I0007: "P0006" };

/** A demo copy as GetItem shows it (what an item event's `current` carries). */
export function itemMessage(barcode: string, changes: Partial<item.Item> = {}): item.Item {
  const i = demoItems[barcode];
  if (!i) throw new Error(`no demo item ${barcode}`);
  return item.Item.fromPartial({
    itemId: i.itemId,
    item: { institutionId: "MAIN", barcode },
    title: i.title,
    titleId: i.titleId,
    permanentLocation: i.homeLocation,
    currentLocation: i.homeLocation,
    circulating: i.circulating ?? true,
    state: i.state ?? item.ItemState.AVAILABLE,
    ...changes,
  });
}


export interface PeerEvents {
  /** An item event carrying the copy after it; `position` repeats an earlier one (a late delivery). */
  item<T extends EventType>(type: T, event: EventOf<T> & { current?: item.Item }, position?: number): Promise<events.EventEnvelope>;
  /** Registers a demo copy (ItemRegistered with `current`). */
  register(barcode: string): Promise<events.EventEnvelope>;
  /**
   * The loan service's ItemCheckedOut of a copy to a patron, carrying the loan it starts (`current`);
   * `position` repeats an earlier one (a late delivery).
   */
  checkout(patron: string, barcode: string, offline?: boolean, position?: number): Promise<events.EventEnvelope>;
  /** Any loan event of `barcode`'s loan stream, as given (set its `current` as the loan service would); `position` as above. */
  loan<T extends EventType>(type: T, barcode: string, event: EventOf<T>, position?: number): Promise<events.EventEnvelope>;
  /**
   * The loan service's ItemCheckedIn: the copy is back (at MAIN unless `fields`
   * say otherwise); `hold_id` and `in_transit` carry the trap it decided.
   */
  checkin(barcode: string, fields?: Partial<loan.ItemCheckedIn>): Promise<events.EventEnvelope>;
  /** An event delivered again under a new message id (past JetStream's duplicate window), as it was. */
  again(env: events.EventEnvelope): Promise<void>;
}

/** Publishes events of the item and loan services, each stream's positions counted from 1. */
export function peerEvents(js: JetStreamClient, subjectPrefix: string): PeerEvents {
  const positions = new Map<string, number>();

  async function publish<T extends EventType>(
    streamId: string,
    type: T,
    event: EventOf<T>,
    options: { position?: number; offline?: boolean } = {},
  ): Promise<events.EventEnvelope> {
    const streamPosition = options.position ?? (positions.get(streamId) ?? 0) + 1;
    positions.set(streamId, Math.max(streamPosition, positions.get(streamId) ?? 0));
    const { envelope } = await publishPeerEvent(js, subjectPrefix, type, event, { streamId, streamPosition, offline: options.offline });
    return envelope;
  }

  return {
    item: <T extends EventType>(type: T, event: EventOf<T> & { current?: item.Item }, position?: number) =>
      publish(`item-${event.current?.itemId ?? ""}`, type, event, { position }),
    register: (barcode: string) => {
      const current = itemMessage(barcode);
      return publish(
        `item-${current.itemId}`,
        "ItemRegistered",
        item.ItemRegistered.fromPartial({ itemId: current.itemId, item: current.item, title: current.title, titleId: current.titleId, current }),
      );
    },
    checkout: (patron: string, barcode: string, offline = false, position?: number) => {
      const checkout = loan.ItemCheckedOut.fromPartial({
        loanId: `loan-${uuidv7()}`,
        itemId: demoItems[barcode]?.itemId ?? `item-${barcode}`,
        item: { institutionId: "MAIN", barcode },
        patronId: `pat-${patron}`,
        patron: { institutionId: "MAIN", barcode: patron },
        title: demoItems[barcode]?.title ?? "",
        titleId: demoItems[barcode]?.titleId ?? "",
        checkedOutAt: new Date(),
        dueAt: new Date(Date.now() + 14 * 86_400_000),
        location: "MAIN",
        offline,
      });
      return publish(`loan-MAIN-${barcode}`, "ItemCheckedOut", { ...checkout, current: loanAfterCheckout(checkout) }, { offline, position });
    },
    loan: <T extends EventType>(type: T, barcode: string, event: EventOf<T>, position?: number) => publish(`loan-MAIN-${barcode}`, type, event, { position }),
    checkin: (barcode: string, fields: Partial<loan.ItemCheckedIn> = {}) =>
      publish(
        `loan-MAIN-${barcode}`,
        "ItemCheckedIn",
        loan.ItemCheckedIn.fromPartial({
          itemId: demoItems[barcode]?.itemId ?? "",
          item: { institutionId: "MAIN", barcode },
          titleId: demoItems[barcode]?.titleId ?? "",
          institutionId: "MAIN",
          returnedAt: new Date(),
          checkedInAt: new Date(),
          location: "MAIN",
          ...fields,
        }),
      ),
    // The very envelope again (its correlation and causation included), which publishPeerEvent cannot rebuild.
    again: async (env: events.EventEnvelope) => {
      await js.publish(eventSubject(env.type as EventType, subjectPrefix), events.EventEnvelope.encode(env).finish(), { msgID: uuidv7() });
    },
  };
}
