import { type common, item, loan, patron } from "@circulate/contracts";
import * as grpc from "@grpc/grpc-js";

/** A peer service could not answer (down, too slow, or failed). Never a domain answer. */
export class PeerUnavailableError extends Error {
  override readonly name = "PeerUnavailableError";
  constructor(
    readonly peer: "patron" | "item" | "loan",
    readonly code: grpc.status | undefined,
    options?: ErrorOptions,
  ) {
    super(`${peer} service unavailable${code === undefined ? "" : ` (gRPC ${grpc.status[code]})`}`, options);
  }
}

/** The questions the hold service asks other services. Every call takes its time budget in ms. */
export interface Peers {
  verifyPatron(request: patron.VerifyPatronRequest, budgetMs: number): Promise<patron.VerifyPatronResponse>;
  /** `undefined` when the patron does not exist. */
  getPatron(ref: common.PatronRef, budgetMs: number): Promise<patron.Patron | undefined>;
  /** `undefined` when the item does not exist. */
  getItem(ref: common.ItemRef, budgetMs: number): Promise<item.Item | undefined>;
  /** The items found (missing ones are left out). */
  getItems(refs: readonly common.ItemRef[], budgetMs: number): Promise<item.Item[]>;
  /** The item's current loan; `undefined` when not on loan. */
  getLoan(ref: common.ItemRef, budgetMs: number): Promise<loan.Loan | undefined>;
  close(): void;
}

type Callback<R> = (error: grpc.ServiceError | null, response: R) => void;
type Unary<Q, R> = (request: Q, metadata: grpc.Metadata, options: Partial<grpc.CallOptions>, callback: Callback<R>) => unknown;

function call<Q, R>(peer: PeerUnavailableError["peer"], method: Unary<Q, R>, request: Q, budgetMs: number): Promise<R> {
  return new Promise((resolve, reject) => {
    method(request, new grpc.Metadata(), { deadline: Date.now() + Math.max(1, budgetMs) }, (err, res) => {
      if (err) reject(new PeerUnavailableError(peer, err.code, { cause: err }));
      else resolve(res);
    });
  });
}

/** A peer that answers NOT_FOUND instead of an empty response means "not found", not "down". */
async function orNotFound<R>(p: Promise<R>): Promise<R | undefined> {
  try {
    return await p;
  } catch (err) {
    if (err instanceof PeerUnavailableError && err.code === grpc.status.NOT_FOUND) return undefined;
    throw err;
  }
}

/** Generated grpc-js clients, one channel per peer, reused for every call. */
export function grpcPeers(addresses: { patron: string; item: string; loan: string }): Peers {
  const creds = grpc.credentials.createInsecure();
  const patrons = new patron.PatronsClient(addresses.patron, creds);
  const items = new item.ItemsClient(addresses.item, creds);
  const loans = new loan.LoansClient(addresses.loan, creds);
  return {
    verifyPatron: (request, budgetMs) => call("patron", patrons.verifyPatron.bind(patrons), request, budgetMs),
    getPatron: async (ref, budgetMs) =>
      (await orNotFound(call("patron", patrons.getPatron.bind(patrons), { key: { $case: "patron", value: ref } }, budgetMs)))?.patron,
    getItem: async (ref, budgetMs) =>
      (await orNotFound(call("item", items.getItem.bind(items), { key: { $case: "item", value: ref } }, budgetMs)))?.item,
    getItems: async (refs, budgetMs) =>
      refs.length === 0 ? [] : (await call("item", items.getItems.bind(items), { items: [...refs], itemIds: [] }, budgetMs)).items,
    getLoan: async (ref, budgetMs) =>
      (await orNotFound(call("loan", loans.getLoan.bind(loans), { key: { $case: "item", value: ref } }, budgetMs)))?.loan,
    close: () => {
      patrons.close();
      items.close();
      loans.close();
    },
  };
}
