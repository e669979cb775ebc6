import { common, item as itemPb } from "@circulate/contracts";
import { type ItemId, itemLevelStateToProto, type RegisteredItem, recordFields } from "../domain/index.js";

/** What SIP2 responses say about an item (title, media, shelving, CH), for 18, 20 and refusals. */
export function itemSummary(itemId: string, item: RegisteredItem): common.ItemSummary {
  const r = recordFields(item.record);
  return common.ItemSummary.fromPartial({
    itemId,
    item: { institutionId: item.id.institution, barcode: item.id.barcode },
    title: r.title,
    titleId: r.titleId,
    mediaType: r.mediaType,
    magneticMedia: r.magneticMedia,
    permanentLocation: r.permanentLocation,
    currentLocation: item.currentLocation.location,
    callNumber: r.callNumber,
    collectionCode: r.collectionCode,
    owner: r.owner,
    properties: item.properties ?? "",
  });
}

/** The echo of an item nobody knows: just the barcode as asked (the gateway sends it back as AB). */
export function unknownItemSummary(ref: ItemId): common.ItemSummary {
  return common.ItemSummary.fromPartial({ item: { institutionId: ref.institution, barcode: ref.barcode } });
}

/** The item as peers see it (GetItem): item-level state only, see `itemLevelStateToProto`. */
export function itemMessage(itemId: string, item: RegisteredItem): itemPb.Item {
  const c = item.circulation;
  return itemPb.Item.fromPartial({
    itemId,
    item: { institutionId: item.id.institution, barcode: item.id.barcode },
    ...recordFields(item.record),
    currentLocation: item.currentLocation.location,
    currentInstitutionId: item.currentLocation.institution,
    state: itemLevelStateToProto(c.state),
    inTransitTo: c.state === "in_transit" ? c.destination.location : "",
    inTransitToInstitutionId: c.state === "in_transit" ? c.destination.institution : "",
    properties: item.properties ?? "",
  });
}
