import type { Charset, SupportedMessages } from "@circulate/sip2";
import type { ResponseProfile } from "./profiles.js";
import type { ReplyTerminator } from "./reply-terminator.js";

/** What a terminal account may do; a request outside them is refused locally, never sent on. */
export const PERMISSIONS = ["checkout", "checkin", "renew", "statusUpdate", "feePaid", "holds", "offline", "patron", "item", "block"] as const;
export type Permission = (typeof PERMISSIONS)[number];

/**
 * How far a terminal may look: "institution" resolves patrons and items in its own
 * institution only; "consortium" lets the owning service look across member institutions.
 */
export type Resolution = "institution" | "consortium";

/**
 * How a 10 answers the checkin of an item that was not on loan (the service checks it in
 * either way): "alert" = ok=1 with alert Y; "refuse" = ok=0 with alert Y, which sorters
 * route to their exception bin.
 */
export type CheckinNotOnLoan = "alert" | "refuse";

/**
 * What the 93 `CO` must be: "required" = the password the account's hash was made from;
 * "ignored" = anything (terminals that send a fixed or stale one); "blank" = empty, for
 * systems whose terminals log in with a user id only.
 */
export type TerminalPassword = "required" | "ignored" | "blank";

/**
 * How a due date (AH, free format) is written: "sip2" = the 18-char SIP2 date in the
 * terminal's zone with the zone field blank; "utc" = the same instant in UTC with the zone
 * field `   Z`, so a terminal that shows or compares it knows the zone.
 */
export type DueDateFormat = "sip2" | "utc";

/**
 * Flags of the 98 set per account instead of derived from its permissions. They apply while
 * the ACS is on-line for the terminal; off-line, every flag stays N whatever is set here.
 */
export interface AcsStatusOverrides {
  readonly online?: boolean;
  readonly checkin?: boolean;
  readonly checkout?: boolean;
  readonly renewal?: boolean;
  readonly statusUpdate?: boolean;
  readonly offline?: boolean;
  /** BX positions, each Y or N; the others stay derived. */
  readonly supportedMessages?: Partial<SupportedMessages>;
}

/** What a terminal may show about the patron: "noContact" leaves out address, e-mail and phone (BD/BE/BF). */
export type PatronPrivacy = "full" | "noContact";

/** One terminal account, as loaded (and validated) from the accounts file. */
export interface TerminalAccount {
  /** SIP2 login user id (CN). */
  readonly login: string;
  /**
   * scrypt hash of the login password (`scrypt$N$r$p$salt$hash`, base64 parts); never the
   * password. Empty when `terminalPassword` is not "required".
   */
  readonly passwordHash: string;
  readonly terminalPassword: TerminalPassword;
  /** Institution the account belongs to (sent as AO, used as the command's institution). */
  readonly institutionId: string;
  /** Name shown in 98 AM. */
  readonly libraryName: string;
  /** Location code of the terminal (CP at login overrides it for that session). */
  readonly location: string;
  /** Client networks allowed to use the account (CIDR, IPv4 or IPv6); empty = anywhere. */
  readonly allowedNetworks: readonly string[];
  /** Source addresses/CIDRs whose connections are bound to this account without a 93. */
  readonly bindAddresses: readonly string[];
  readonly permissions: ReadonlySet<Permission>;
  /** Checkout of an item the patron already has renews it (true) or is refused (false). */
  readonly renewalPolicy: boolean;
  readonly charset: Charset;
  /** How replies end: CR (the spec), CR LF, or the terminator of the request answered. */
  readonly replyTerminator: ReplyTerminator;
  /** IANA zone the terminal's 18-char dates are read and written in. */
  readonly timeZone: string;
  /** Budget from request to answer; the command deadline and the reply wait derive from it. */
  readonly timeoutMs: number;
  /**
   * How long after a transaction the same bytes, sent as the terminal's next
   * request, are still a retry of it (answered with the recorded outcome).
   */
  readonly retryBudgetMs: number;
  /** Requests without AY/AZ are answered 96 when true. */
  readonly requireErrorDetection: boolean;
  readonly resolution: Resolution;
  /** 99 SC Status is answered before a 93 login on this account's bound connections. */
  readonly scStatusBeforeLogin: boolean;
  readonly checkinNotOnLoan: CheckinNotOnLoan;
  /** Optional fields left out and extension fields added (`patronPrivacy: noContact` folded in). */
  readonly responseProfile: ResponseProfile;
  /**
   * Patron transactions without a PIN (AD) are refused by the gateway (a self-service kiosk);
   * false = a staff or integration terminal that acts without the patron's PIN.
   */
  readonly patronPinRequired: boolean;
  /** false: switched off without being deleted; its logins and bindings are refused. */
  readonly active: boolean;
  readonly dueDateFormat: DueDateFormat;
  readonly acsStatus: AcsStatusOverrides;
}

/** What the translation of one request needs to know about the terminal and the moment. */
export interface TerminalContext {
  readonly account: TerminalAccount;
  /** CP from the 93 login, else the account's location. */
  readonly location: string;
  /** The instant the gateway received the request. */
  readonly now: Date;
}
