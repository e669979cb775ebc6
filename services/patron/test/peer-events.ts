// The loan, fee and hold services as the patron service meets them: their
// events on JetStream, published as their relays do (an EventEnvelope on
// `<prefix>.evt.<service>.<Type>`, msgID = event id, positions counted per
// stream). Tests describe a patron's usage in these events; the service keeps
// what it needs of them and decides without asking anyone.
import { type common, type EventOf, type EventType, type events, fee, hold, loan } from "@circulate/contracts";
import { loanAfterCheckout, publishPeerEvent } from "@circulate/service/testing";
import { type JetStreamClient, jetstream } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";

const DAY_MS = 86_400_000;
let seq = 0;

export interface PatronKey {
  /** The patron service's id; "" = the event carries only the card. */
  readonly patronId: string;
  readonly card: common.PatronRef;
}

export class PeerEvents {
  private readonly js: JetStreamClient;
  private readonly positions = new Map<string, number>();
  private readonly loans = new Map<string, loan.Loan>();
  private readonly balances = new Map<string, number>();
  private readonly holds = new Map<string, { hold: hold.Hold; queue: string }>();

  constructor(
    nc: NatsConnection,
    private readonly prefix: string,
  ) {
    this.js = jetstream(nc);
  }

  /** Publishes one event on `streamId` at its next position (or `position`); resolves once JetStream has it. */
  async publish<T extends EventType>(
    type: T,
    event: EventOf<T>,
    streamId: string,
    options: { position?: number; eventId?: string } = {},
  ): Promise<events.EventEnvelope> {
    const position = options.position ?? (this.positions.get(streamId) ?? 0) + 1;
    this.positions.set(streamId, Math.max(position, this.positions.get(streamId) ?? 0));
    const { envelope } = await publishPeerEvent(this.js, this.prefix, type, event, { streamId, streamPosition: position, eventId: options.eventId });
    return envelope;
  }

  // Loans: one stream per item, as the loan service keeps them; every event carries the item's loan after it (`current`).

  /** ItemCheckedOut of `item` to the patron, due `dueInDays` from now (negative = overdue). */
  async lend(patron: PatronKey, item: string, dueInDays: number, extra: Partial<loan.ItemCheckedOut> = {}): Promise<loan.ItemCheckedOut> {
    seq++;
    const event = loan.ItemCheckedOut.fromPartial({
      loanId: `loan-${seq}`,
      itemId: `item-${item}`,
      item: { institutionId: "MAIN", barcode: item },
      patronId: patron.patronId,
      patron: patron.card,
      title: `Title of ${item}`,
      checkedOutAt: new Date(Date.now() - 30 * DAY_MS + seq * 1_000),
      dueAt: new Date(Date.now() + dueInDays * DAY_MS),
      ...extra,
    });
    const current = loanAfterCheckout(event);
    this.loans.set(item, current);
    await this.publish("ItemCheckedOut", { ...event, current }, loanStream(current));
    return event;
  }

  /** ItemCheckedIn of the loan of `item`: not on loan after it. */
  async giveBack(item: string): Promise<void> {
    const l = this.loanOf(item);
    this.loans.delete(item);
    const event = loan.ItemCheckedIn.fromPartial({ loanId: l.loanId, itemId: l.itemId, item: l.item, patronId: l.patronId, patron: l.patron, dueAt: l.dueAt, returnedAt: new Date() });
    await this.publish("ItemCheckedIn", event, loanStream(l));
  }

  /** LoanRenewed: the loan of `item` due `dueInDays` from now. */
  async renew(item: string, dueInDays: number): Promise<void> {
    const l = this.loanOf(item);
    const current = {
      ...l,
      dueAt: new Date(Date.now() + dueInDays * DAY_MS),
      renewalCount: l.renewalCount + 1,
      renewalsRemaining: l.renewalsRemaining === undefined ? undefined : Math.max(0, l.renewalsRemaining - 1),
    };
    this.loans.set(item, current);
    const event = loan.LoanRenewed.fromPartial({ loanId: l.loanId, itemId: l.itemId, patronId: l.patronId, previousDueAt: l.dueAt, dueAt: current.dueAt, current });
    await this.publish("LoanRenewed", event, loanStream(l));
  }

  /** LoanRecalled: the loan of `item` recalled, due `dueInDays` from now. */
  async recall(item: string, dueInDays: number): Promise<void> {
    const l = this.loanOf(item);
    const current = { ...l, dueAt: new Date(Date.now() + dueInDays * DAY_MS), recalled: true };
    this.loans.set(item, current);
    const event = loan.LoanRecalled.fromPartial({ loanId: l.loanId, itemId: l.itemId, patronId: l.patronId, dueAt: current.dueAt, holdId: "h", current });
    await this.publish("LoanRecalled", event, loanStream(l));
  }

  private loanOf(item: string): loan.Loan {
    const l = this.loans.get(item);
    if (!l) throw new Error(`no loan of ${item}`);
    return l;
  }

  // Fees: one stream (account) per card, each event stating the balance after it.

  /** FeeCharged of `amountMinor` US cents. */
  async charge(patron: PatronKey, amountMinor: number, extra: Partial<fee.FeeCharged> = {}): Promise<fee.FeeCharged> {
    seq++;
    const account = accountOf(patron.card);
    const balance = (this.balances.get(account) ?? 0) + amountMinor;
    this.balances.set(account, balance);
    const event = fee.FeeCharged.fromPartial({
      feeId: `fee-${seq}`,
      patronId: patron.patronId,
      patron: patron.card,
      amount: usd(amountMinor),
      description: `Charge ${seq}`,
      chargedAt: new Date(Date.now() - DAY_MS + seq * 1_000),
      balanceAfter: usd(balance),
      ...extra,
    });
    await this.publish("FeeCharged", event, account);
    return event;
  }

  /** FeePaid of `amountMinor` allocated to `feeId`. */
  async pay(patron: PatronKey, feeId: string, amountMinor: number): Promise<void> {
    const account = accountOf(patron.card);
    const balance = (this.balances.get(account) ?? 0) - amountMinor;
    this.balances.set(account, balance);
    const event = fee.FeePaid.fromPartial({
      paymentId: `pay-${++seq}`,
      patronId: patron.patronId,
      patron: patron.card,
      amount: usd(amountMinor),
      allocations: [{ feeId, amount: usd(amountMinor) }],
      balanceAfter: usd(balance),
    });
    await this.publish("FeePaid", event, account);
  }

  // Holds: one stream per title queue; every event carries the hold after it.

  /** HoldPlaced in `queue` (a title), on a copy unless `item` is null (a title hold). */
  async placeHold(patron: PatronKey, queue: string, item: string | null, extra: Partial<hold.Hold> = {}): Promise<hold.Hold> {
    seq++;
    const current = hold.Hold.fromPartial({
      holdId: `hold-${seq}`,
      patronId: patron.patronId,
      patron: patron.card,
      holdType: item ? "HOLD_TYPE_SPECIFIC_COPY" : "HOLD_TYPE_ANY_COPY",
      item: item ? { institutionId: "MAIN", barcode: item } : undefined,
      titleId: queue,
      title: `Title ${queue}`,
      pickupLocation: "MAIN",
      status: hold.HoldStatus.WAITING,
      queuePosition: 1,
      placedAt: new Date(Date.now() - 10 * DAY_MS + seq * 1_000),
      ...extra,
    });
    this.holds.set(current.holdId, { hold: current, queue });
    const { holdId, patronId, holdType, titleId, title, pickupLocation, placedAt } = current;
    const placed = hold.HoldPlaced.fromPartial({ holdId, patronId, patron: patron.card, holdType, item: current.item, titleId, title, pickupLocation, placedAt, current });
    await this.publish("HoldPlaced", placed, queueStream(queue));
    return current;
  }

  /** HoldTrapped (a copy in transit), then, unless `inTransit`, HoldShelved (on the shelf until `pickupBy`). */
  async trap(holdId: string, copy: string, options: { inTransit?: boolean; pickupBy?: Date } = {}): Promise<void> {
    const { hold: h, queue } = this.holdOf(holdId);
    const item = { institutionId: "MAIN", barcode: copy };
    const inTransit = options.inTransit ?? false;
    const trapped = { ...h, status: inTransit ? hold.HoldStatus.IN_TRANSIT : hold.HoldStatus.AVAILABLE, trappedItem: item, queuePosition: 0 };
    await this.publish("HoldTrapped", hold.HoldTrapped.fromPartial({ holdId, patronId: h.patronId, item, inTransit, titleId: queue, current: trapped }), queueStream(queue));
    if (inTransit) return this.remember(trapped, queue);
    const shelved = { ...trapped, availableAt: new Date(), pickupBy: options.pickupBy ?? new Date(Date.now() + 7 * DAY_MS) };
    await this.publish(
      "HoldShelved",
      hold.HoldShelved.fromPartial({ holdId, patronId: h.patronId, item, pickupBy: shelved.pickupBy, titleId: queue, current: shelved }),
      queueStream(queue),
    );
    this.remember(shelved, queue);
  }

  /** HoldCancelled: the hold leaves its queue. */
  async cancelHold(holdId: string): Promise<void> {
    const { hold: h, queue } = this.holdOf(holdId);
    this.holds.delete(holdId);
    const current = { ...h, status: hold.HoldStatus.CANCELLED, queuePosition: 0 };
    await this.publish("HoldCancelled", hold.HoldCancelled.fromPartial({ holdId, patronId: h.patronId, titleId: queue, current }), queueStream(queue));
  }

  private remember(h: hold.Hold, queue: string): void {
    this.holds.set(h.holdId, { hold: h, queue });
  }

  private holdOf(holdId: string) {
    const h = this.holds.get(holdId);
    if (!h) throw new Error(`no hold ${holdId}`);
    return h;
  }
}

const usd = (amountMinor: number): common.Money => ({ currency: "USD", amountMinor });
const accountOf = (card: common.PatronRef) => `fee-${card.institutionId}-${card.barcode}`;
const queueStream = (queue: string) => `holdq-MAIN-${queue}`;
const loanStream = (l: { itemId: string }) => `loan-${l.itemId}`;

export { loanAfterCheckout };
