/** 17 Item Information → 18 and 19 Item Status Update → 20. */
import { commands, type common } from "@circulate/contracts";
import { CirculationStatus, FeeType, type ItemInformationResponse, SecurityMarker } from "@circulate/sip2";
import { CIRCULATION_STATUS_CODES, FEE_TYPE_CODES, MEDIA_TYPE_CODES, SECURITY_MARKER_CODES } from "./codes.js";
import { blank, dueDate, failureMessage, INVALID_REQUEST, itemRef, moneyFields, opt } from "./fields.js";
import type { MessageRoute } from "./types.js";

type ItemPart = Pick<
  ItemInformationResponse,
  "titleIdentifier" | "owner" | "mediaType" | "permanentLocation" | "currentLocation" | "itemProperties" | "collectionCode" | "callNumber"
>;

/** What an 18 says about the item itself; AJ is required and sent empty when unknown. */
function itemFields(item: common.ItemSummary | undefined): ItemPart {
  const mediaType = item === undefined ? undefined : MEDIA_TYPE_CODES[item.mediaType];
  return {
    titleIdentifier: item?.title ?? "",
    ...(opt(item?.owner) === undefined ? {} : { owner: item?.owner }),
    ...(mediaType === undefined ? {} : { mediaType }),
    ...(opt(item?.permanentLocation) === undefined ? {} : { permanentLocation: item?.permanentLocation }),
    ...(opt(item?.currentLocation) === undefined ? {} : { currentLocation: item?.currentLocation }),
    ...(opt(item?.properties) === undefined ? {} : { itemProperties: item?.properties }),
    ...(opt(item?.collectionCode) === undefined ? {} : { collectionCode: item?.collectionCode }),
    ...(opt(item?.callNumber) === undefined ? {} : { callNumber: item?.callNumber }),
  };
}

export const itemInformationRoute: MessageRoute<"17"> = {
  permission: "item",
  command: (req, ctx) => {
    if (blank(req.itemIdentifier)) return INVALID_REQUEST;
    return { $case: "getItemInformation", value: commands.GetItemInformation.create({ item: itemRef(req.itemIdentifier, ctx) }) };
  },
  accepted: (req, payload, ctx) => {
    if (payload.$case !== "getItemInformation") return undefined;
    const i = payload.value;
    const due = dueDate(i.dueAt, ctx);
    return {
      code: "18",
      circulationStatus: CIRCULATION_STATUS_CODES[i.circulationStatus],
      securityMarker: SECURITY_MARKER_CODES[i.securityMarker],
      // The fixed fee type has no "none": 01 (other/unknown), as Koha and Evergreen send.
      feeType: FEE_TYPE_CODES[i.feeType] ?? FeeType.other,
      transactionDate: ctx.now,
      holdQueueLength: String(i.holdQueueLength),
      ...(due === "" ? {} : { dueDate: due }),
      ...(i.recallAt === undefined ? {} : { recallDate: i.recallAt }),
      ...(i.holdPickupBy === undefined ? {} : { holdPickupDate: i.holdPickupBy }),
      itemIdentifier: req.itemIdentifier,
      ...itemFields(i.item),
      ...moneyFields(i.fee),
      ...(opt(i.destinationLocation) === undefined ? {} : { destinationLocation: i.destinationLocation }),
    };
  },
  /** Unknown or unreadable item: `010101` and an empty AJ, as Koha and Evergreen answer. */
  refused: (req, failure, ctx) => ({
    code: "18",
    circulationStatus: CirculationStatus.other,
    securityMarker: SecurityMarker.none,
    feeType: FeeType.other,
    transactionDate: ctx.now,
    itemIdentifier: req.itemIdentifier,
    ...itemFields(failure.refused?.item),
    screenMessages: [failureMessage(failure)],
  }),
};

export const itemStatusUpdateRoute: MessageRoute<"19"> = {
  permission: "statusUpdate",
  command: (req, ctx) => {
    if (blank(req.itemIdentifier)) return INVALID_REQUEST;
    return {
      $case: "updateItemStatus",
      value: commands.UpdateItemStatus.create({ item: itemRef(req.itemIdentifier, ctx), itemProperties: req.itemProperties }),
    };
  },
  accepted: (req, payload, ctx) => {
    if (payload.$case !== "updateItemStatus") return undefined;
    const item = payload.value.item;
    return {
      code: "20",
      itemPropertiesOk: true,
      transactionDate: ctx.now,
      itemIdentifier: req.itemIdentifier,
      ...(opt(item?.title) === undefined ? {} : { titleIdentifier: item?.title }),
      ...(opt(item?.properties) === undefined ? {} : { itemProperties: item?.properties }),
    };
  },
  refused: (req, failure, ctx) => ({
    code: "20",
    itemPropertiesOk: false,
    transactionDate: ctx.now,
    itemIdentifier: req.itemIdentifier,
    ...(opt(failure.refused?.item?.title) === undefined ? {} : { titleIdentifier: failure.refused?.item?.title }),
    screenMessages: [failureMessage(failure)],
  }),
};
