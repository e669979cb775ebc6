import { hold, loan } from "@circulate/contracts";
import * as grpc from "@grpc/grpc-js";
import type { ItemId } from "../domain/index.js";

/** The facts 17 needs from their owners: the loan (due, recall) and the hold queue (length, shelf, pickup date). */
export interface ItemPeers {
  getLoan(item: ItemId, timeoutMs: number): Promise<loan.Loan | undefined>;
  getQueue(item: ItemId, titleId: string, timeoutMs: number): Promise<hold.GetQueueResponse>;
  close(): void;
}

/** A peer could not answer in time (or at all): the caller refuses with BACKEND_UNAVAILABLE. */
export class PeerUnavailableError extends Error {
  override readonly name = "PeerUnavailableError";
}

function unary<Req, Res>(
  peer: string,
  call: (req: Req, md: grpc.Metadata, opts: Partial<grpc.CallOptions>, cb: (err: grpc.ServiceError | null, res: Res) => void) => unknown,
  request: Req,
  timeoutMs: number,
): Promise<Res> {
  return new Promise((resolve, reject) => {
    call(request, new grpc.Metadata(), { deadline: Date.now() + Math.max(timeoutMs, 1) }, (err, res) =>
      err ? reject(new PeerUnavailableError(`${peer}: ${err.code} ${err.details}`, { cause: err })) : resolve(res),
    );
  });
}

/** gRPC clients of the loan and hold services; one channel each, reused. */
export function connectPeers(addresses: { loan: string; hold: string }): ItemPeers {
  const loans = new loan.LoansClient(addresses.loan, grpc.credentials.createInsecure());
  const holds = new hold.HoldsClient(addresses.hold, grpc.credentials.createInsecure());
  return {
    getLoan: async (item, timeoutMs) => {
      const request = loan.GetLoanRequest.fromPartial({
        key: { $case: "item", value: { institutionId: item.institution, barcode: item.barcode } },
      });
      const res = await unary("loan.GetLoan", loans.getLoan.bind(loans), request, timeoutMs);
      return res.loan;
    },
    getQueue: (item, titleId, timeoutMs) => {
      const request = hold.GetQueueRequest.fromPartial({
        key: { $case: "item", value: { institutionId: item.institution, barcode: item.barcode } },
        itemTitleId: titleId,
      });
      return unary("hold.GetQueue", holds.getQueue.bind(holds), request, timeoutMs);
    },
    close: () => {
      loans.close();
      holds.close();
    },
  };
}
