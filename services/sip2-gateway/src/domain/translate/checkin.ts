/** 09 Checkin → 10, with the sorter fields (CL sort bin, CT destination, CV alert, CY/DA hold patron). */
import { commands, type common } from "@circulate/contracts";
import { AlertType, type CheckinResponse } from "@circulate/sip2";
import { NOTICES } from "../screen-messages.js";
import { ALERT_TYPE_CODES, FEE_TYPE_NAMES, MEDIA_TYPE_CODES } from "./codes.js";
import { blank, decimal, failureMessage, INVALID_REQUEST, itemRef, opt, screen, ynu } from "./fields.js";
import type { MessageRoute } from "./types.js";

type ItemPart = Pick<CheckinResponse, "permanentLocation" | "titleIdentifier" | "mediaType" | "itemProperties" | "collectionCode" | "callNumber">;

/** What a 10 says about the item; AQ is required and sent empty when unknown. */
function itemFields(item: common.ItemSummary | undefined): ItemPart {
  const mediaType = item === undefined ? undefined : MEDIA_TYPE_CODES[item.mediaType];
  return {
    permanentLocation: item?.permanentLocation ?? "",
    ...(opt(item?.title) === undefined ? {} : { titleIdentifier: item?.title }),
    ...(mediaType === undefined ? {} : { mediaType }),
    ...(opt(item?.properties) === undefined ? {} : { itemProperties: item?.properties }),
    ...(opt(item?.collectionCode) === undefined ? {} : { collectionCode: item?.collectionCode }),
    ...(opt(item?.callNumber) === undefined ? {} : { callNumber: item?.callNumber }),
  };
}

/** An overdue fine charged by the return, shown so the patron is not surprised later. */
function fineLine(fee: common.FeeNotice | undefined): string | undefined {
  const amount = decimal(fee?.amount);
  if (fee === undefined || amount === undefined || fee.amount?.amountMinor === 0) return undefined;
  return `A ${FEE_TYPE_NAMES[fee.feeType]} charge of ${amount} ${fee.amount?.currency} applies.`;
}

/** The service checked in an item no loan was open for (its contract: no loan id), not a cancel. */
function wasNotOnLoan(a: commands.CheckInItemAccepted): boolean {
  return !a.cancellation && a.loanId === "" && a.borrower === undefined;
}

function acceptedNotice(a: commands.CheckInItemAccepted, refused: boolean): string {
  if (a.cancellation) return NOTICES.cancelled;
  if (a.hold !== undefined) return NOTICES.holdForPatron;
  if (a.alert && opt(a.destinationLocation) !== undefined) return NOTICES.sendElsewhere;
  return refused ? NOTICES.notCheckedOut : NOTICES.checkedIn;
}

export const checkinRoute: MessageRoute<"09"> = {
  permission: "checkin",
  command: (req, ctx) => {
    if (blank(req.itemIdentifier)) return INVALID_REQUEST;
    return {
      $case: "checkInItem",
      value: commands.CheckInItem.create({
        item: itemRef(req.itemIdentifier, ctx),
        returnDate: req.returnDate ?? undefined,
        // Most kiosks leave AP empty; the terminal's location (CP, else the account's) stands in.
        currentLocation: req.currentLocation.trim() || ctx.location,
        noBlock: req.noBlock,
        cancel: req.cancel ?? false,
        itemProperties: req.itemProperties ?? "",
      }),
    };
  },
  accepted: (req, payload, ctx) => {
    if (payload.$case !== "checkInItem") return undefined;
    const a = payload.value;
    const hold = a.hold;
    // Where the item goes next: the service's answer, else the trapped hold's pickup point when it must travel.
    const destination = opt(a.destinationLocation) ?? (hold?.inTransit ? opt(hold.pickupLocation) : undefined);
    // The account's choice (presentation only: the item is checked in either way). ok=0 is
    // what sorters route to their exception bin, so it always comes with alert=Y.
    const refuse = ctx.account.checkinNotOnLoan === "refuse" && wasNotOnLoan(a);
    const alert = a.alert || refuse;
    // CV only together with alert=Y (Koha ties the two).
    const alertType = alert ? (ALERT_TYPE_CODES[a.alertType] ?? (refuse ? AlertType.other : undefined)) : undefined;
    return {
      code: "10",
      ok: !refuse,
      resensitize: a.resensitize,
      magneticMedia: ynu(a.item?.magneticMedia),
      alert,
      transactionDate: ctx.now,
      institutionId: ctx.account.institutionId,
      itemIdentifier: req.itemIdentifier,
      ...itemFields(a.item),
      ...(opt(a.sortBin) === undefined ? {} : { sortBin: a.sortBin }),
      ...(opt(a.borrower?.barcode) === undefined ? {} : { patronIdentifier: a.borrower?.barcode }),
      ...(destination === undefined ? {} : { destinationLocation: destination }),
      ...(alertType === undefined ? {} : { alertType }),
      ...(opt(hold?.patron?.barcode) === undefined ? {} : { holdPatronId: hold?.patron?.barcode }),
      ...(opt(hold?.patronName) === undefined ? {} : { holdPatronName: hold?.patronName }),
      screenMessages: screen(acceptedNotice(a, refuse), fineLine(a.fee)) ?? [],
    };
  },
  /**
   * ok=0 with alert=Y: a sorter sends the item to its exception bin and a kiosk calls staff.
   * CV is the service's alert, else 99 "special handling" (also the 3M default).
   */
  refused: (req, failure, ctx) => ({
    code: "10",
    ok: false,
    resensitize: false,
    magneticMedia: ynu(failure.refused?.item?.magneticMedia),
    alert: true,
    transactionDate: ctx.now,
    institutionId: ctx.account.institutionId,
    itemIdentifier: req.itemIdentifier,
    ...itemFields(failure.refused?.item),
    alertType: (failure.refused === undefined ? undefined : ALERT_TYPE_CODES[failure.refused.alertType]) ?? AlertType.other,
    screenMessages: [failureMessage(failure)],
  }),
};
