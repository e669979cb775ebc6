import { common, patron } from "@circulate/contracts";
import * as grpc from "@grpc/grpc-js";

/** The service refused (not found, invalid) or did not answer; the message says which. */
export class AdminCallError extends Error {
  override readonly name = "AdminCallError";
  constructor(
    readonly code: grpc.status,
    detail: string,
  ) {
    super(`${grpc.status[code] ?? code}: ${detail}`);
  }
}

/**
 * What staff see of the patron after the unlock: the contract's Patron as JSON
 * (no hash, no PIN), with `pinLocked` always present (proto JSON omits a false).
 */
export type PatronJson = Record<string, unknown> & { readonly pinLocked: boolean };

/** `Patrons.UnlockPin` for one patron, naming the staff member who lifts the lock. */
export async function unlockPatronPin(
  address: string,
  ref: common.PatronRef,
  staff: string,
  timeoutMs: number,
  credentials: grpc.ChannelCredentials = grpc.credentials.createInsecure(),
): Promise<PatronJson> {
  const client = new patron.PatronsClient(address, credentials);
  try {
    const response = await new Promise<patron.UnlockPinResponse>((resolve, reject) =>
      client.unlockPin(
        patron.UnlockPinRequest.create({ patron: common.PatronRef.create(ref), staff }),
        new grpc.Metadata(),
        { deadline: new Date(Date.now() + timeoutMs) },
        (err, res) => (err ? reject(new AdminCallError(err.code, err.details || err.message)) : resolve(res)),
      ),
    );
    const after = patron.Patron.fromPartial(response.patron ?? {});
    return { ...(patron.Patron.toJSON(after) as Record<string, unknown>), pinLocked: after.pinLocked };
  } finally {
    client.close();
  }
}
