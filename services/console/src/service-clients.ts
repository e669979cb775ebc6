import { common, fee, history, hold, item, loan, patron, SERVICE_NAMES, type ServiceName } from "@circulate/contracts";
import * as grpc from "@grpc/grpc-js";

/** A service refused or did not answer; `code` is the gRPC status. */
export class ServiceCallError extends Error {
  override readonly name = "ServiceCallError";
  constructor(
    readonly service: ServiceName,
    readonly code: grpc.status,
    readonly detail: string,
  ) {
    super(`${service}: ${grpc.status[code] ?? code}: ${detail}`);
  }
}

type Callback<Res> = (err: grpc.ServiceError | null, res: Res) => void;
type Unary<Req, Res> = (req: Req, metadata: grpc.Metadata, options: Partial<grpc.CallOptions>, callback: Callback<Res>) => grpc.ClientUnaryCall;

export type PatronKey = { institution: string; barcode: string };
const patronRef = (k: PatronKey) => common.PatronRef.create({ institutionId: k.institution, barcode: k.barcode });
const itemRef = (k: PatronKey) => common.ItemRef.create({ institutionId: k.institution, barcode: k.barcode });

/**
 * The services' admin gRPC APIs as the console uses them: one client per
 * service, a deadline on every call, failures as {@link ServiceCallError}.
 */
export class ServiceClients {
  readonly #patrons: patron.PatronsClient;
  readonly #fees: fee.FeesClient;
  readonly #items: item.ItemsClient;
  readonly #holds: hold.HoldsClient;
  readonly #loans: loan.LoansClient;
  /** Every service serves its transaction history. */
  readonly #history: Record<ServiceName, history.HistoryClient>;

  constructor(
    addresses: Readonly<Record<ServiceName, string>>,
    credentials: grpc.ChannelCredentials,
    private readonly timeoutMs: number,
  ) {
    this.#patrons = new patron.PatronsClient(addresses.patron, credentials);
    this.#fees = new fee.FeesClient(addresses.fee, credentials);
    this.#items = new item.ItemsClient(addresses.item, credentials);
    this.#holds = new hold.HoldsClient(addresses.hold, credentials);
    this.#loans = new loan.LoansClient(addresses.loan, credentials);
    this.#history = Object.fromEntries(SERVICE_NAMES.map((s) => [s, new history.HistoryClient(addresses[s], credentials)])) as Record<ServiceName, history.HistoryClient>;
  }

  private call<Req, Res>(service: ServiceName, client: grpc.Client, method: Unary<Req, Res>, request: Req): Promise<Res> {
    return new Promise((resolve, reject) => {
      method.call(client, request, new grpc.Metadata(), { deadline: new Date(Date.now() + this.timeoutMs) }, (err, res) =>
        err ? reject(new ServiceCallError(service, err.code, err.details || err.message)) : resolve(res),
      );
    });
  }

  async getPatron(key: PatronKey): Promise<patron.Patron | undefined> {
    const res = await this.call("patron", this.#patrons, this.#patrons.getPatron, patron.GetPatronRequest.create({ key: { $case: "patron", value: patronRef(key) } }));
    return res.patron;
  }

  /** Standing without a PIN: nothing is counted towards a lock-out. */
  verifyPatron(key: PatronKey): Promise<patron.VerifyPatronResponse> {
    return this.call("patron", this.#patrons, this.#patrons.verifyPatron, patron.VerifyPatronRequest.create({ patron: patronRef(key) }));
  }

  async unlockPin(key: PatronKey, staff: string): Promise<patron.Patron | undefined> {
    const res = await this.call("patron", this.#patrons, this.#patrons.unlockPin, patron.UnlockPinRequest.create({ patron: patronRef(key), staff }));
    return res.patron;
  }

  async setCardLost(key: PatronKey, lost: boolean, staff: string): Promise<patron.Patron | undefined> {
    const res = await this.call("patron", this.#patrons, this.#patrons.setCardLost, patron.SetCardLostRequest.create({ patron: patronRef(key), lost, staff }));
    return res.patron;
  }

  async blockPatron(key: PatronKey, staff: string, reason: string): Promise<patron.Patron | undefined> {
    const res = await this.call("patron", this.#patrons, this.#patrons.blockPatron, patron.BlockPatronRequest.create({ patron: patronRef(key), staff, reason }));
    return res.patron;
  }

  async unblockPatron(key: PatronKey, staff: string, reason: string): Promise<patron.Patron | undefined> {
    const res = await this.call("patron", this.#patrons, this.#patrons.unblockPatron, patron.UnblockPatronRequest.create({ patron: patronRef(key), staff, reason }));
    return res.patron;
  }

  searchPatrons(institution: string, namePrefix: string, limit: number): Promise<patron.SearchPatronsResponse> {
    return this.call("patron", this.#patrons, this.#patrons.searchPatrons, patron.SearchPatronsRequest.create({ institutionId: institution, namePrefix, limit }));
  }

  async getAccount(key: PatronKey): Promise<fee.Account | undefined> {
    const res = await this.call("fee", this.#fees, this.#fees.getAccount, fee.GetAccountRequest.create({ key: { $case: "patron", value: patronRef(key) } }));
    return res.account;
  }

  async waiveFee(request: { requestId: string; feeId: string; reason: string; staff: string; amount?: common.Money | undefined }): Promise<fee.Charge | undefined> {
    const res = await this.call("fee", this.#fees, this.#fees.waiveFee, fee.WaiveFeeRequest.create(request));
    return res.charge;
  }

  async getItem(key: PatronKey): Promise<item.Item | undefined> {
    const res = await this.call("item", this.#items, this.#items.getItem, item.GetItemRequest.create({ key: { $case: "item", value: itemRef(key) } }));
    return res.item;
  }

  async setItemStatus(key: PatronKey, status: "missing" | "found", staff: string, reason: string): Promise<item.Item | undefined> {
    const wanted = status === "missing" ? item.StaffItemStatus.MISSING : item.StaffItemStatus.FOUND;
    const res = await this.call("item", this.#items, this.#items.setItemStatus, item.SetItemStatusRequest.create({ item: itemRef(key), status: wanted, staff, reason }));
    return res.item;
  }

  async getLoan(key: PatronKey): Promise<loan.Loan | undefined> {
    const res = await this.call("loan", this.#loans, this.#loans.getLoan, loan.GetLoanRequest.create({ key: { $case: "item", value: itemRef(key) } }));
    return res.loan;
  }

  listLoans(key: PatronKey): Promise<loan.ListLoansResponse> {
    return this.call("loan", this.#loans, this.#loans.listLoans, loan.ListLoansRequest.create({ key: { $case: "patron", value: patronRef(key) } }));
  }

  listHolds(key: PatronKey, includeClosed: boolean): Promise<hold.ListHoldsResponse> {
    return this.call("hold", this.#holds, this.#holds.listHolds, hold.ListHoldsRequest.create({ key: { $case: "patron", value: patronRef(key) }, includeClosed }));
  }

  getQueue(key: PatronKey, titleId: string): Promise<hold.GetQueueResponse> {
    return this.call("hold", this.#holds, this.#holds.getQueue, hold.GetQueueRequest.create({ key: { $case: "item", value: itemRef(key) }, itemTitleId: titleId }));
  }

  async cancelHold(holdId: string, staff: string, reason: string): Promise<hold.Hold | undefined> {
    const res = await this.call("hold", this.#holds, this.#holds.cancelHold, hold.CancelHoldRequest.create({ holdId, staff, reason }));
    return res.hold;
  }

  listHistory(service: ServiceName, request: history.ListHistoryRequest): Promise<history.ListHistoryResponse> {
    return this.call(service, this.#history[service], this.#history[service].listHistory, request);
  }

  close(): void {
    for (const c of [this.#patrons, this.#fees, this.#items, this.#holds, this.#loans, ...Object.values(this.#history)]) c.close();
  }
}
