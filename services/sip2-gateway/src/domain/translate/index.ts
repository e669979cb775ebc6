/**
 * SIP2 request → domain command, and outcome → SIP2 response. Pure protocol mapping: no I/O,
 * no clock (the moment is `ctx.now`), no library policy — the services decide, this only says
 * it in SIP2. Every request code has one route, and every path ends in a well-formed response
 * of the matching type.
 */
import { type AcceptedPayload, type Command, commands } from "@circulate/contracts";
import type { SipRequest, SipResponse } from "@circulate/sip2";
import type { Permission, TerminalContext } from "../terminal.js";
import { checkinRoute } from "./checkin.js";
import { shaped } from "./extensions.js";
import { feePaidRoute } from "./fees.js";
import { holdRoute } from "./holds.js";
import { itemInformationRoute, itemStatusUpdateRoute } from "./items.js";
import { checkoutRoute, renewRoute } from "./loan.js";
import { blockPatronRoute, endPatronSessionRoute, patronEnableRoute, patronStatusRoute } from "./patron.js";
import { patronInformationRoute } from "./patron-information.js";
import { renewAllRoute } from "./renew-all.js";
import type { Failure, MessageRoute, RoutedCode, RoutedRequest, Translation } from "./types.js";

export type { Failure, MessageRoute, ResponseTo, RoutedCode, RoutedRequest, Translation } from "./types.js";

/** One route per request the gateway sends on; a missing one fails to compile. */
export const ROUTES: { readonly [C in RoutedCode]: MessageRoute<C> } = {
  "01": blockPatronRoute,
  "09": checkinRoute,
  "11": checkoutRoute,
  "15": holdRoute,
  "17": itemInformationRoute,
  "19": itemStatusUpdateRoute,
  "23": patronStatusRoute,
  "25": patronEnableRoute,
  "29": renewRoute,
  "35": endPatronSessionRoute,
  "37": feePaidRoute,
  "63": patronInformationRoute,
  "65": renewAllRoute,
};

/** The request codes routed to services (93, 99 and 97 are the gateway's own). */
export const ROUTED_CODES: readonly RoutedCode[] = Object.keys(ROUTES) as RoutedCode[];

/** True for a request that {@link translateRequest} handles. */
export function isRoutedRequest(request: SipRequest): request is RoutedRequest {
  return Object.hasOwn(ROUTES, request.code);
}

/** The permission a request needs (for 98 BX and for logs). */
export function permissionFor(code: RoutedCode): Permission {
  return ROUTES[code].permission;
}

/** A route seen through its request's own code (TypeScript cannot correlate the union by itself). */
interface AnyRoute {
  readonly permission: Permission;
  readonly command: (request: RoutedRequest, ctx: TerminalContext) => Command | Failure;
  readonly accepted: (request: RoutedRequest, payload: AcceptedPayload, ctx: TerminalContext) => SipResponse | undefined;
  readonly refused: (request: RoutedRequest, failure: Failure, ctx: TerminalContext) => SipResponse;
}

/** The route of a request, its responses shaped by the terminal's profile (see shaped). */
function routeOf(request: RoutedRequest): AnyRoute {
  const route = ROUTES[request.code] as unknown as AnyRoute;
  return {
    permission: route.permission,
    command: route.command,
    accepted: (req, payload, ctx) => {
      const response = route.accepted(req, payload, ctx);
      return response === undefined ? undefined : shaped(response, ctx.account.responseProfile);
    },
    refused: (req, failure, ctx) => shaped(route.refused(req, failure, ctx), ctx.account.responseProfile),
  };
}

function isFailure(value: Command | Failure): value is Failure {
  return "reason" in value;
}

const R = commands.RefusalReason;

/**
 * The patron transactions that carry a PIN (AD) and act for the patron. 25 and 35 carry AD too
 * but are staff (unblock) and housekeeping (end of session) messages, so a missing PIN never
 * holds them up.
 */
const PIN_CODES: ReadonlySet<RoutedCode> = new Set<RoutedCode>(["11", "15", "23", "29", "37", "63", "65"]);

/**
 * True when the account wants the patron's PIN and the request has none. A checkout cancel
 * (BI=Y) undoes what the kiosk just did and may come from a return session with no PIN.
 */
function lacksRequiredPin(request: RoutedRequest, ctx: TerminalContext): boolean {
  if (!ctx.account.patronPinRequired || !PIN_CODES.has(request.code)) return false;
  if (request.code === "11" && request.cancel) return false;
  const pin = "patronPassword" in request ? request.patronPassword : undefined;
  return pin === undefined || pin === "";
}

/**
 * The command for a request, or the answer when the gateway refuses it itself: the account
 * lacks the permission (a no-block transaction also needs `offline`), the account requires a
 * patron PIN the request does not carry, or the request lacks what the command needs.
 */
export function translateRequest(request: RoutedRequest, ctx: TerminalContext): Translation {
  const route = routeOf(request);
  const permissions = ctx.account.permissions;
  const noBlock = "noBlock" in request && request.noBlock;
  if (!permissions.has(route.permission) || (noBlock && !permissions.has("offline"))) {
    return { kind: "answer", response: route.refused(request, { reason: R.PERMISSION_DENIED }, ctx) };
  }
  if (lacksRequiredPin(request, ctx)) {
    return { kind: "answer", response: route.refused(request, { reason: R.PATRON_PIN_REQUIRED }, ctx) };
  }
  const command = route.command(request, ctx);
  if (isFailure(command)) return { kind: "answer", response: route.refused(request, command, ctx) };
  return { kind: "command", command, terminalTime: request.transactionDate ?? undefined };
}

/**
 * The SIP2 response of the matching type for the service's outcome. An outcome that does not
 * fit the request (no result, a payload for another command) is answered as an internal
 * error: ok=0, never a guess.
 */
export function renderOutcome(request: RoutedRequest, outcome: commands.Outcome, ctx: TerminalContext): SipResponse {
  const route = routeOf(request);
  const result = outcome.result;
  if (result?.$case === "refused") {
    return route.refused(request, { reason: result.value.reason, refused: result.value }, ctx);
  }
  const payload = result?.value.payload;
  const rendered = payload === undefined ? undefined : route.accepted(request, payload, ctx);
  return rendered ?? route.refused(request, { reason: R.INTERNAL_ERROR }, ctx);
}

/** The well-formed ok=0 response of the matching type when no outcome came in time or the backend is down. */
export function renderUnavailable(request: RoutedRequest, ctx: TerminalContext, why: "timeout" | "unavailable"): SipResponse {
  const reason = why === "timeout" ? R.DEADLINE_EXCEEDED : R.BACKEND_UNAVAILABLE;
  return routeOf(request).refused(request, { reason }, ctx);
}
