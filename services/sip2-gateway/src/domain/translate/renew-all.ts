/** 65 Renew All → 66: counts and the renewed (BM) and unrenewed (BN) items by barcode. */
import { commands } from "@circulate/contracts";
import { blank, failureMessage, INVALID_REQUEST, patronRef, pinOf } from "./fields.js";
import type { MessageRoute } from "./types.js";

/** An entry as kiosks match it: the barcode (Koha, Evergreen), else the title. */
function entryId(entry: commands.RenewAllEntry): string {
  return entry.item?.item?.barcode || entry.item?.title || entry.loanId;
}

function summaryLine(renewed: number, unrenewed: number): string {
  if (renewed + unrenewed === 0) return "You have no items to renew.";
  if (unrenewed === 0) return `${renewed} renewed.`;
  return `${renewed} renewed, ${unrenewed} could not be renewed.`;
}

export const renewAllRoute: MessageRoute<"65"> = {
  permission: "renew",
  command: (req, ctx) => {
    if (blank(req.patronIdentifier)) return INVALID_REQUEST;
    return {
      $case: "renewAll",
      value: commands.RenewAll.create({
        patron: patronRef(req.patronIdentifier, ctx),
        pin: pinOf(req.patronPassword),
        feeAcknowledged: req.feeAcknowledged ?? false,
      }),
    };
  },
  accepted: (_req, payload, ctx) => {
    if (payload.$case !== "renewAll") return undefined;
    const { renewed, unrenewed } = payload.value;
    return {
      code: "66",
      ok: true,
      renewedCount: renewed.length,
      unrenewedCount: unrenewed.length,
      transactionDate: ctx.now,
      institutionId: ctx.account.institutionId,
      ...(renewed.length === 0 ? {} : { renewedItems: renewed.map(entryId) }),
      ...(unrenewed.length === 0 ? {} : { unrenewedItems: unrenewed.map(entryId) }),
      screenMessages: [summaryLine(renewed.length, unrenewed.length)],
    };
  },
  refused: (_req, failure, ctx) => ({
    code: "66",
    ok: false,
    renewedCount: 0,
    unrenewedCount: 0,
    transactionDate: ctx.now,
    institutionId: ctx.account.institutionId,
    screenMessages: [failureMessage(failure)],
  }),
};
