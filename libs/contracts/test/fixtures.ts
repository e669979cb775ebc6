import { commands, type common } from "../src/index.js";

/** A terminal as the gateway would describe it. */
export const terminal: common.Terminal = { account: "kiosk-1", institutionId: "main", location: "DOWNTOWN" };

/** A checkout as a kiosk would ask for it, with every kind of field set. */
export function checkout(): commands.CheckOutItem {
  return commands.CheckOutItem.fromPartial({
    patron: { institutionId: "main", barcode: "P0001" },
    pin: "1234",
    item: { institutionId: "main", barcode: "I0001" },
    renewalAllowed: true,
    noBlock: true,
    noBlockDueDate: new Date("2025-03-01T17:00:00.000Z"),
    feeAcknowledged: false,
    cancel: false,
    itemProperties: "shelf=3",
  });
}
