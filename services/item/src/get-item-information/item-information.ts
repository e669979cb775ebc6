import type { Location } from "../domain/item.record.js";
import type { ItemState } from "../domain/item.state.js";
import { circulationStatus, type HoldFacts, type LoanFacts } from "./circulation-status.js";
import {
  CIRCULATION_STATUS,
  type CirculationStatusCode,
  FEE_TYPE,
  type FeeTypeCode,
  type MediaTypeCode,
  SECURITY_MARKER,
  type SecurityMarkerCode,
} from "../domain/sip2-codes.js";

/** A fee for using the item (rental), from the fee service: SIP2 fee type, `BV`, `BH`. */
export interface ItemFeeFacts {
  readonly feeType: FeeTypeCode;
  /** Minor units of `currency`. */
  readonly amount: number;
  readonly currency: string;
}

export interface ItemInformationFacts {
  readonly loan?: LoanFacts;
  readonly hold?: HoldFacts;
  readonly fee?: ItemFeeFacts;
}

/**
 * Everything 18 Item Information Response reports, as data; the gateway
 * formats it (dates as 18-char SIP2 dates in the institution's zone, amounts
 * with a `.`). Absent optional values are `undefined` and their fields are
 * left out.
 */
export interface ItemInformation {
  readonly found: boolean;
  readonly circulationStatus: CirculationStatusCode;
  readonly securityMarker: SecurityMarkerCode;
  readonly feeType: FeeTypeCode;
  /** `AJ`: empty when unknown (the field is required, sent as `AJ|`). */
  readonly title: string;
  /** `CF` */
  readonly holdQueueLength?: number;
  /** `AH`: only while the item is charged. */
  readonly dueDate?: Date;
  /** `CJ` */
  readonly recallDate?: Date;
  /** `CM` */
  readonly holdPickupDate?: Date;
  /** `BG` owning institution. */
  readonly owner?: string;
  /** `CK` */
  readonly mediaType?: MediaTypeCode;
  /** `AQ`: the location code; institution for consortium-aware rendering. */
  readonly permanentLocation?: Location;
  /** `AP` */
  readonly currentLocation?: Location;
  /** `CH` as stored by 19. */
  readonly itemProperties?: string;
  /** `BV` in minor units, with `BH`. */
  readonly fee?: { readonly amount: number; readonly currency: string };
}

/**
 * 18 for a barcode nobody knows: `010101` (other / none / other-unknown) and an
 * empty title, as Koha and Evergreen answer; the gateway echoes `AB`.
 */
export function unknownItemInformation(): ItemInformation {
  return {
    found: false,
    circulationStatus: CIRCULATION_STATUS.other,
    securityMarker: SECURITY_MARKER.none,
    feeType: FEE_TYPE.other,
    title: "",
  };
}

/** The pure view behind 17 → 18. */
export function itemInformation(item: ItemState, facts: ItemInformationFacts = {}): ItemInformation {
  if (item.status === "unregistered") return unknownItemInformation();
  const { loan, hold, fee } = facts;
  const status = circulationStatus(item, loan, hold);
  const charged = status === CIRCULATION_STATUS.charged || status === CIRCULATION_STATUS.recalled;
  return {
    found: true,
    circulationStatus: status,
    securityMarker: item.record.securityMarker,
    feeType: fee?.feeType ?? FEE_TYPE.other,
    title: item.record.title,
    holdQueueLength: hold?.queueLength,
    dueDate: charged ? loan?.dueDate : undefined,
    recallDate: charged ? loan?.recallDate : undefined,
    holdPickupDate: status === CIRCULATION_STATUS.waitingOnHoldShelf ? hold?.pickupDate : undefined,
    owner: item.record.owner,
    mediaType: item.record.mediaType,
    permanentLocation: { institution: item.record.owner, location: item.record.permanentLocation },
    currentLocation: item.currentLocation,
    itemProperties: item.properties ?? undefined,
    fee: fee ? { amount: fee.amount, currency: fee.currency } : undefined,
  };
}
