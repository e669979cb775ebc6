import { common } from "@circulate/contracts";

/**
 * SIP2 code tables the hold domain speaks (15 hold mode and type, 10 alert type), as
 * `as const` objects so codes stay the strings that travel on the wire.
 */

/** Hold mode, the first fixed field of 15. */
export const HoldMode = { add: "+", delete: "-", change: "*" } as const;
export type HoldModeCode = (typeof HoldMode)[keyof typeof HoldMode];

/** Hold type (`BY`). KOHA and EG default a missing `BY` to 2; so should the gateway. */
export const HoldType = {
  other: "1",
  anyCopyOfTitle: "2",
  specificCopy: "3",
  anyCopyAtBranch: "4",
} as const;
export type HoldTypeCode = (typeof HoldType)[keyof typeof HoldType];

const HOLD_TYPE_CODES: ReadonlySet<string> = new Set(Object.values(HoldType));

export function isHoldTypeCode(code: string): code is HoldTypeCode {
  return HOLD_TYPE_CODES.has(code);
}

const CODE_OF: Partial<Record<common.HoldType, HoldTypeCode>> = {
  [common.HoldType.OTHER]: HoldType.other,
  // The contract's "unset = the service default": any copy of the title.
  [common.HoldType.UNSPECIFIED]: HoldType.anyCopyOfTitle,
  [common.HoldType.ANY_COPY]: HoldType.anyCopyOfTitle,
  [common.HoldType.SPECIFIC_COPY]: HoldType.specificCopy,
  [common.HoldType.ANY_COPY_AT_LOCATION]: HoldType.anyCopyAtBranch,
};

/** SIP2 `BY` code of a contract hold type; `"?"` for a value newer than this build (the decider refuses it). */
export function holdTypeCode(type: common.HoldType): string {
  return CODE_OF[type] ?? "?";
}

export function holdTypeOf(code: HoldTypeCode): common.HoldType {
  switch (code) {
    case HoldType.other:
      return common.HoldType.OTHER;
    case HoldType.anyCopyOfTitle:
      return common.HoldType.ANY_COPY;
    case HoldType.specificCopy:
      return common.HoldType.SPECIFIC_COPY;
    case HoldType.anyCopyAtBranch:
      return common.HoldType.ANY_COPY_AT_LOCATION;
  }
}

/** Alert type (`CV`, 3M extension in 10). Sent with alert = `Y`. */
export const AlertType = {
  unknown: "00",
  holdForThisLibrary: "01",
  holdForOtherBranch: "02",
  holdForIll: "03",
  sendToOtherBranch: "04",
  other: "99",
} as const;
export type AlertTypeCode = (typeof AlertType)[keyof typeof AlertType];
