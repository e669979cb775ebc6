import type { SipMessageBase } from "../fields.js";

/** Fields every ACS response may carry. */
export interface ResponseBase extends SipMessageBase {
  /** AF screen message — variable, optional, repeatable; values over 255 chars are split into several AF. */
  screenMessages?: readonly string[];
  /** AG print line — variable, optional, repeatable; values over 255 chars are split into several AG. */
  printLines?: readonly string[];
}
