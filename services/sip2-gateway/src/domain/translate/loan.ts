/** 11 Checkout → 12 and 29 Renew → 30 (the two responses share one layout). */
import { commands, type common } from "@circulate/contracts";
import type { LoanResponseFields, SipField } from "@circulate/sip2";
import { NOTICES } from "../screen-messages.js";
import type { TerminalContext } from "../terminal.js";
import { MEDIA_TYPE_CODES } from "./codes.js";
import { itemExtensions } from "./extensions.js";
import { blank, dueDate, failureMessage, feeFields, INVALID_REQUEST, itemRef, opt, patronRef, pinOf, screen, ynu } from "./fields.js";
import type { Failure, MessageRoute } from "./types.js";

const OTHERS_LOAN: ReadonlySet<commands.RefusalReason> = new Set([
  commands.RefusalReason.ITEM_ON_LOAN_TO_OTHER,
  commands.RefusalReason.RENEWAL_THIRD_PARTY_NOT_ALLOWED,
]);

type LoanFields = Omit<LoanResponseFields, "code" | "screenMessages" | "printLines">;

/** What a 12/30 says about the item: title (AJ, required), media type (CK), properties (CH). */
function itemFields(item: common.ItemSummary | undefined): Pick<LoanFields, "titleIdentifier" | "mediaType" | "itemProperties"> {
  const mediaType = item === undefined ? undefined : MEDIA_TYPE_CODES[item.mediaType];
  return {
    titleIdentifier: item?.title ?? "",
    ...(mediaType === undefined ? {} : { mediaType }),
    ...(opt(item?.properties) === undefined ? {} : { itemProperties: item?.properties }),
  };
}

interface Loaned {
  readonly item: common.ItemSummary | undefined;
  readonly dueAt: Date | undefined;
  readonly desensitize?: boolean | undefined;
  readonly securityInhibit: boolean;
  readonly fee: common.FeeNotice | undefined;
}

function acceptedFields(
  req: { patronIdentifier: string; itemIdentifier?: string },
  a: Loaned,
  renewalOk: boolean,
  ctx: TerminalContext,
  notice: string,
): LoanFields & { screenMessages?: readonly string[]; unknownFields?: readonly SipField[] } {
  return {
    ok: true,
    renewalOk,
    magneticMedia: ynu(a.item?.magneticMedia),
    desensitize: ynu(a.desensitize),
    transactionDate: ctx.now,
    institutionId: ctx.account.institutionId,
    patronIdentifier: req.patronIdentifier,
    itemIdentifier: req.itemIdentifier || a.item?.item?.barcode || "",
    dueDate: dueDate(a.dueAt, ctx),
    ...itemFields(a.item),
    ...(a.securityInhibit ? { securityInhibit: true } : {}),
    ...feeFields(a.fee),
    ...itemExtensions(a.item, ctx),
    screenMessages: [notice],
  };
}

/**
 * ok=0: desensitize N (SPEC: N for refusals), AJ/AH sent even when empty (pitfall P10), and
 * the fee to acknowledge in BT/BV/BH so the kiosk can ask and resend with BO=Y.
 */
function refusedFields(
  req: { patronIdentifier: string; itemIdentifier?: string },
  failure: Failure,
  ctx: TerminalContext,
  dueAt: Date | undefined,
): LoanFields & { screenMessages?: readonly string[] } {
  const item = failure.refused?.item;
  return {
    ok: false,
    renewalOk: false,
    magneticMedia: ynu(item?.magneticMedia),
    desensitize: "N",
    transactionDate: ctx.now,
    institutionId: ctx.account.institutionId,
    patronIdentifier: req.patronIdentifier,
    itemIdentifier: req.itemIdentifier ?? "",
    dueDate: dueDate(dueAt, ctx),
    ...itemFields(item),
    ...feeFields(failure.refused?.fee),
    screenMessages: screen(failureMessage(failure)) ?? [],
  };
}

export const checkoutRoute: MessageRoute<"11"> = {
  permission: "checkout",
  command: (req, ctx) => {
    // A cancel (BI=Y) may come from a return session that never knew the borrower.
    if (blank(req.itemIdentifier) || (blank(req.patronIdentifier) && !req.cancel)) return INVALID_REQUEST;
    const a = ctx.account;
    return {
      $case: "checkOutItem",
      value: commands.CheckOutItem.create({
        patron: patronRef(req.patronIdentifier, ctx),
        pin: pinOf(req.patronPassword),
        item: itemRef(req.itemIdentifier, ctx),
        // Both the kiosk's SC renewal policy and the account must allow a checkout to renew.
        renewalAllowed: req.scRenewalPolicy && a.renewalPolicy && a.permissions.has("renew"),
        noBlock: req.noBlock,
        noBlockDueDate: req.nbDueDate ?? undefined,
        feeAcknowledged: req.feeAcknowledged ?? false,
        cancel: req.cancel ?? false,
        itemProperties: req.itemProperties ?? "",
      }),
    };
  },
  accepted: (req, payload, ctx) => {
    if (payload.$case !== "checkOutItem") return undefined;
    const a = payload.value;
    const notice = a.cancellation ? NOTICES.cancelled : a.renewal ? NOTICES.renewedByCheckout : NOTICES.checkedOut;
    return { code: "12", ...acceptedFields(req, a, a.renewal, ctx, notice) };
  },
  // A checkout refusal shows no due date: the item may be another patron's loan.
  refused: (req, failure, ctx) => ({ code: "12", ...refusedFields(req, failure, ctx, undefined) }),
};

export const renewRoute: MessageRoute<"29"> = {
  permission: "renew",
  command: (req, ctx) => {
    if (blank(req.patronIdentifier) || (blank(req.itemIdentifier) && blank(req.titleIdentifier))) return INVALID_REQUEST;
    const item = itemRef(req.itemIdentifier, ctx);
    return {
      $case: "renewItem",
      value: commands.RenewItem.create({
        patron: patronRef(req.patronIdentifier, ctx),
        pin: pinOf(req.patronPassword),
        item,
        titleIdentifier: item === undefined ? (req.titleIdentifier?.trim() ?? "") : "",
        thirdPartyAllowed: req.thirdPartyAllowed,
        noBlock: req.noBlock,
        noBlockDueDate: req.nbDueDate ?? undefined,
        feeAcknowledged: req.feeAcknowledged ?? false,
        itemProperties: req.itemProperties ?? "",
      }),
    };
  },
  accepted: (req, payload, ctx) => {
    if (payload.$case !== "renewItem") return undefined;
    return { code: "30", ...acceptedFields(req, payload.value, true, ctx, NOTICES.renewed) };
  },
  // The patron's own loan keeps its due date in AH; another patron's loan is none of this kiosk's business.
  refused: (req, failure, ctx) => ({
    code: "30",
    ...refusedFields(req, failure, ctx, OTHERS_LOAN.has(failure.reason) ? undefined : failure.refused?.dueAt),
  }),
};
