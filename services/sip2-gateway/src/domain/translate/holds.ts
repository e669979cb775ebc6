/** 15 Hold → 16. The hold mode picks the command: `+` PlaceHold, `-` CancelHold, `*` ChangeHold. */
import { type AcceptedPayload, type Command, commands } from "@circulate/contracts";
import { type HoldRequest, HoldMode } from "@circulate/sip2";
import { NOTICES } from "../screen-messages.js";
import type { TerminalContext } from "../terminal.js";
import { FEE_TYPE_NAMES, holdTypeOf } from "./codes.js";
import { blank, decimal, failureMessage, INVALID_REQUEST, itemRef, opt, patronRef, pinOf, screen } from "./fields.js";
import type { MessageRoute } from "./types.js";

const CASE_BY_MODE = {
  [HoldMode.add]: "placeHold",
  [HoldMode.delete]: "cancelHold",
  [HoldMode.change]: "changeHold",
} as const;
type HoldCase = (typeof CASE_BY_MODE)[keyof typeof CASE_BY_MODE];

const NOTICE_BY_CASE = {
  placeHold: NOTICES.holdPlaced,
  cancelHold: NOTICES.holdCancelled,
  changeHold: NOTICES.holdChanged,
} as const satisfies Record<HoldCase, string>;

function caseOf(mode: string): HoldCase | undefined {
  return Object.hasOwn(CASE_BY_MODE, mode) ? CASE_BY_MODE[mode as keyof typeof CASE_BY_MODE] : undefined;
}

function holdCommand(req: HoldRequest, ctx: TerminalContext, holdCase: HoldCase): Command {
  const target = {
    patron: patronRef(req.patronIdentifier, ctx),
    pin: pinOf(req.patronPassword),
    item: itemRef(req.itemIdentifier, ctx),
    titleIdentifier: req.titleIdentifier?.trim() ?? "",
  };
  const details = {
    holdType: holdTypeOf(req.holdType),
    pickupLocation: req.pickupLocation?.trim() ?? "",
    expiresAt: req.expirationDate,
    feeAcknowledged: req.feeAcknowledged ?? false,
  };
  switch (holdCase) {
    case "placeHold":
      return { $case: "placeHold", value: commands.PlaceHold.create({ ...target, ...details }) };
    case "cancelHold":
      return { $case: "cancelHold", value: commands.CancelHold.create(target) };
    case "changeHold":
      return { $case: "changeHold", value: commands.ChangeHold.create({ ...target, ...details }) };
  }
}

function feeLine(fee: commands.HoldAccepted["fee"]): string | undefined {
  const amount = decimal(fee?.amount);
  if (fee === undefined || amount === undefined || fee.amount?.amountMinor === 0) return undefined;
  return `A ${FEE_TYPE_NAMES[fee.feeType]} of ${amount} ${fee.amount?.currency} applies.`;
}

export const holdRoute: MessageRoute<"15"> = {
  permission: "holds",
  command: (req, ctx) => {
    const holdCase = caseOf(req.holdMode);
    if (holdCase === undefined || blank(req.patronIdentifier) || (blank(req.itemIdentifier) && blank(req.titleIdentifier))) {
      return INVALID_REQUEST;
    }
    return holdCommand(req, ctx, holdCase);
  },
  accepted: (req, payload: AcceptedPayload, ctx) => {
    // The three hold commands share HoldAccepted: the case must still be the one this mode sent.
    if (payload.$case !== caseOf(req.holdMode)) return undefined;
    if (payload.$case !== "placeHold" && payload.$case !== "cancelHold" && payload.$case !== "changeHold") return undefined;
    const h = payload.value;
    const item = opt(h.item?.barcode) ?? opt(req.itemIdentifier);
    const title = opt(h.title) ?? opt(h.titleIdentifier) ?? opt(req.titleIdentifier);
    return {
      code: "16",
      ok: true,
      available: h.available,
      transactionDate: ctx.now,
      ...(h.expiresAt === undefined ? {} : { expirationDate: h.expiresAt }),
      ...(h.queuePosition === 0 ? {} : { queuePosition: String(h.queuePosition) }),
      ...(opt(h.pickupLocation) === undefined ? {} : { pickupLocation: h.pickupLocation }),
      institutionId: ctx.account.institutionId,
      patronIdentifier: req.patronIdentifier,
      ...(item === undefined ? {} : { itemIdentifier: item }),
      ...(title === undefined ? {} : { titleIdentifier: title }),
      screenMessages: screen(NOTICE_BY_CASE[payload.$case], feeLine(h.fee)) ?? [],
    };
  },
  refused: (req, failure, ctx) => ({
    code: "16",
    ok: false,
    available: false,
    transactionDate: ctx.now,
    institutionId: ctx.account.institutionId,
    patronIdentifier: req.patronIdentifier,
    ...(opt(req.itemIdentifier) === undefined ? {} : { itemIdentifier: req.itemIdentifier }),
    ...(opt(req.titleIdentifier) === undefined ? {} : { titleIdentifier: req.titleIdentifier }),
    screenMessages: [failureMessage(failure)],
  }),
};
