/**
 * SIP2 code tables the item domain produces.
 * `as const` objects, not enums: the values are the wire codes, so a decider's
 * output can be written to the socket without a mapping table. The tables are
 * the protocol library's; the item domain names them as it uses them.
 */
import { CirculationStatus, FeeType, MediaType, SecurityMarker } from "@circulate/sip2";

/** Circulation status, the 2-digit fixed field of 18. */
export const CIRCULATION_STATUS = CirculationStatus;
export type CirculationStatusCode = (typeof CIRCULATION_STATUS)[keyof typeof CIRCULATION_STATUS];

/** Security marker, 2 digits in 18. */
export const SECURITY_MARKER = SecurityMarker;
export type SecurityMarkerCode = (typeof SECURITY_MARKER)[keyof typeof SECURITY_MARKER];

/** Fee type, 2 digits fixed in 18. Only 01–09 are defined anywhere. */
export const FEE_TYPE = FeeType;
export type FeeTypeCode = (typeof FEE_TYPE)[keyof typeof FEE_TYPE];

/** Media type, SIP2 `CK`. */
export const MEDIA_TYPE = MediaType;
export type MediaTypeCode = (typeof MEDIA_TYPE)[keyof typeof MEDIA_TYPE];

const MEDIA_TYPES = new Set<string>(Object.values(MEDIA_TYPE));
const SECURITY_MARKERS = new Set<string>(Object.values(SECURITY_MARKER));

export function isMediaTypeCode(value: string): value is MediaTypeCode {
  return MEDIA_TYPES.has(value);
}

export function isSecurityMarkerCode(value: string): value is SecurityMarkerCode {
  return SECURITY_MARKERS.has(value);
}
