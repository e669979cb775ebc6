/** Shapes shared by the per-message translators. */
import type { AcceptedPayload, Command, commands } from "@circulate/contracts";
import type { MessageOf, ResponseCodeFor, SipRequest, SipResponse } from "@circulate/sip2";
import type { Permission, TerminalContext } from "../terminal.js";

/** Requests the gateway sends on to a service (93 login, 99 status and 97 resend it answers itself). */
export type RoutedRequest = Exclude<SipRequest, { code: "93" | "97" | "99" }>;
export type RoutedCode = RoutedRequest["code"];
/** The response model that answers request code C (24 for both 23 and 01). */
export type ResponseTo<C extends RoutedCode> = MessageOf<(typeof ResponseCodeFor)[C]>;

/** A request the gateway sends on, or answers itself (refused locally: not permitted, missing required field...). */
export type Translation =
  | { kind: "command"; command: Command; terminalTime: Date | undefined }
  | { kind: "answer"; response: SipResponse };

/**
 * Why a request was not carried out, with whatever the service still told us (patron
 * standing, item summary, fee, alert). Local refusals and backend trouble have no `refused`.
 */
export interface Failure {
  readonly reason: commands.RefusalReason;
  readonly refused?: commands.Refused;
}

/** Everything the gateway knows about one message type, from request to response. */
export interface MessageRoute<C extends RoutedCode> {
  /** What the terminal account must be allowed to do. */
  readonly permission: Permission;
  /** The domain command, or the local refusal when the request cannot be sent on. */
  readonly command: (request: MessageOf<C>, ctx: TerminalContext) => Command | Failure;
  /** The response to an accepted outcome; undefined when the payload does not answer this request. */
  readonly accepted: (request: MessageOf<C>, payload: AcceptedPayload, ctx: TerminalContext) => ResponseTo<C> | undefined;
  /** The well-formed ok=0 response for a refusal, local or remote, or for backend trouble. */
  readonly refused: (request: MessageOf<C>, failure: Failure, ctx: TerminalContext) => ResponseTo<C>;
}
