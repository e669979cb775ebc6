/** 23 Patron Status, 01 Block Patron (both → 24), 25 Patron Enable (→ 26), 35 End Patron Session (→ 36). */
import { commands, type common } from "@circulate/contracts";
import { Language, type PatronEnableResponse, type PatronStatusResponse } from "@circulate/sip2";
import { NOTICES, refusalMessage } from "../screen-messages.js";
import type { TerminalContext } from "../terminal.js";
import { LANGUAGE_CODES, languageOf } from "./codes.js";
import { patronStatusExtensions } from "./extensions.js";
import { blank, failureMessage, INVALID_REQUEST, moneyFields, PRIVILEGES_DENIED, patronRef, patronStatusOf, pinOf, screen } from "./fields.js";
import type { Failure, MessageRoute } from "./types.js";

type StatusFields = Omit<PatronStatusResponse, "code">;

/**
 * The body of a 24 (and, without BH/BV, of a 26): the standing the service computed, or
 * — with no standing — a status that lets the patron do nothing.
 */
export function standingFields(
  request: { patronIdentifier: string; language?: string },
  standing: common.PatronStanding | undefined,
  failure: Failure | undefined,
  ctx: TerminalContext,
  notice?: string,
): StatusFields {
  // The patron's language when known, else the one the terminal asked in (01 has none: 000).
  const patronLanguage = standing === undefined ? Language.unknown : LANGUAGE_CODES[standing.language];
  const language = patronLanguage !== Language.unknown ? patronLanguage : (request.language ?? Language.unknown);
  const notFound = failure?.reason === commands.RefusalReason.PATRON_NOT_FOUND;
  // BL: the service's word when it judged the patron; N for "no such patron"; else left out.
  const validPatron = standing !== undefined ? standing.validPatron && !notFound : notFound ? false : undefined;
  // A locked PIN reads the same on every message (11 refuses PATRON_PIN_LOCKED): "try again" would be false.
  const pinLocked = standing?.pinLocked === true;
  const wrongPin = standing?.pinValid === false && !pinLocked;
  // CQ: the service's word; a PIN that was required and not given is not a valid one (N).
  const pinValid = standing?.pinValid ?? (failure?.reason === commands.RefusalReason.PATRON_PIN_REQUIRED ? false : undefined);
  return {
    patronStatus: standing !== undefined ? patronStatusOf(standing.status) : PRIVILEGES_DENIED,
    language,
    transactionDate: ctx.now,
    institutionId: ctx.account.institutionId,
    patronIdentifier: request.patronIdentifier,
    personalName: standing?.name ?? "",
    ...(validPatron === undefined ? {} : { validPatron }),
    ...(pinValid === undefined ? {} : { validPatronPassword: pinValid }),
    ...moneyFields(standing?.feesOwed),
    ...optionalScreen(
      failure !== undefined ? failureMessage(failure) : undefined,
      failure === undefined && validPatron === false ? refusalMessage(commands.RefusalReason.PATRON_NOT_FOUND) : undefined,
      failure === undefined && pinLocked ? refusalMessage(commands.RefusalReason.PATRON_PIN_LOCKED) : undefined,
      failure === undefined && wrongPin ? refusalMessage(commands.RefusalReason.PATRON_PIN_INVALID) : undefined,
      notice,
    ),
  };
}

function optionalScreen(...texts: (string | undefined)[]): { screenMessages?: readonly string[] } {
  const lines = screen(...texts);
  return lines === undefined ? {} : { screenMessages: lines };
}

export const patronStatusRoute: MessageRoute<"23"> = {
  permission: "patron",
  command: (req, ctx) => {
    if (blank(req.patronIdentifier)) return INVALID_REQUEST;
    return {
      $case: "getPatronStatus",
      value: commands.GetPatronStatus.create({
        patron: patronRef(req.patronIdentifier, ctx),
        pin: pinOf(req.patronPassword),
        language: languageOf(req.language),
      }),
    };
  },
  accepted: (req, payload, ctx) =>
    payload.$case === "getPatronStatus"
      ? { code: "24", ...standingFields(req, payload.value.standing, undefined, ctx), ...patronStatusExtensions(payload.value, ctx) }
      : undefined,
  refused: (req, failure, ctx) => ({ code: "24", ...standingFields(req, failure.refused?.patron, failure, ctx) }),
};

export const blockPatronRoute: MessageRoute<"01"> = {
  permission: "block",
  command: (req, ctx) => {
    if (blank(req.patronIdentifier)) return INVALID_REQUEST;
    return {
      $case: "blockPatron",
      value: commands.BlockPatron.create({
        patron: patronRef(req.patronIdentifier, ctx),
        cardRetained: req.cardRetained,
        message: req.blockedCardMessage,
      }),
    };
  },
  accepted: (req, payload, ctx) =>
    payload.$case === "blockPatron"
      ? { code: "24", ...standingFields(req, payload.value.standing, undefined, ctx, NOTICES.cardBlocked) }
      : undefined,
  refused: (req, failure, ctx) => ({ code: "24", ...standingFields(req, failure.refused?.patron, failure, ctx) }),
};

function enableFields(req: { patronIdentifier: string }, standing: common.PatronStanding | undefined, failure: Failure | undefined, ctx: TerminalContext) {
  // 26 has no BH/BV.
  const { currencyType: _c, feeAmount: _f, ...rest } = standingFields(req, standing, failure, ctx);
  return rest satisfies Omit<PatronEnableResponse, "code">;
}

export const patronEnableRoute: MessageRoute<"25"> = {
  // Lifting blocks is the counterpart of 01, under the same permission (and the same BX bit in 98).
  permission: "block",
  command: (req, ctx) => {
    if (blank(req.patronIdentifier)) return INVALID_REQUEST;
    return {
      $case: "enablePatron",
      value: commands.EnablePatron.create({ patron: patronRef(req.patronIdentifier, ctx), pin: pinOf(req.patronPassword) }),
    };
  },
  accepted: (req, payload, ctx) =>
    payload.$case === "enablePatron" ? { code: "26", ...enableFields(req, payload.value.standing, undefined, ctx) } : undefined,
  refused: (req, failure, ctx) => ({ code: "26", ...enableFields(req, failure.refused?.patron, failure, ctx) }),
};

export const endPatronSessionRoute: MessageRoute<"35"> = {
  permission: "patron",
  command: (req, ctx) => {
    if (blank(req.patronIdentifier)) return INVALID_REQUEST;
    return {
      $case: "endPatronSession",
      value: commands.EndPatronSession.create({ patron: patronRef(req.patronIdentifier, ctx), pin: pinOf(req.patronPassword) }),
    };
  },
  accepted: (req, payload, ctx) =>
    payload.$case === "endPatronSession"
      ? {
          code: "36",
          endSession: true,
          transactionDate: ctx.now,
          institutionId: ctx.account.institutionId,
          patronIdentifier: req.patronIdentifier,
          screenMessages: [NOTICES.sessionEnded],
        }
      : undefined,
  refused: (req, failure, ctx) => ({
    code: "36",
    endSession: false,
    transactionDate: ctx.now,
    institutionId: ctx.account.institutionId,
    patronIdentifier: req.patronIdentifier,
    screenMessages: [failureMessage(failure)],
  }),
};
