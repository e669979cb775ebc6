import type { AcsStatusResponse, SupportedMessages } from "@circulate/sip2";
import type { Permission, TerminalAccount } from "../domain/terminal.js";

/** Retries a kiosk may make: retries are safe (same bytes → same command id), so allow a few. */
const RETRIES_ALLOWED = 3;

const NOTHING: SupportedMessages = {
  patronStatusRequest: false,
  checkout: false,
  checkin: false,
  blockPatron: false,
  scAcsStatus: true,
  requestScAcsResend: true,
  login: true,
  patronInformation: false,
  endPatronSession: false,
  feePaid: false,
  itemInformation: false,
  itemStatusUpdate: false,
  patronEnable: false,
  hold: false,
  renew: false,
  renewAll: false,
};

/** BX: the message pairs this account may use (93, 99 and 97 always). */
export function supportedMessages(permissions: ReadonlySet<Permission>): SupportedMessages {
  const has = (p: Permission) => permissions.has(p);
  return {
    ...NOTHING,
    patronStatusRequest: has("patron"),
    checkout: has("checkout"),
    checkin: has("checkin"),
    blockPatron: has("block"),
    patronInformation: has("patron"),
    endPatronSession: has("patron"),
    feePaid: has("feePaid"),
    itemInformation: has("item"),
    itemStatusUpdate: has("statusUpdate"),
    patronEnable: has("block"),
    hold: has("holds"),
    renew: has("renew"),
    renewAll: has("renew"),
  };
}

/**
 * The 98 for an account. `online` is real backend health; when off-line, or for a
 * connection that may not ask yet (`account` undefined), everything is N and the
 * timeout is 000, which SIP2 defines as "ACS not on-line". The account's `acsStatus`
 * overrides replace the flags derived from its permissions.
 */
export function acsStatus(account: TerminalAccount | undefined, location: string, online: boolean, now: Date): AcsStatusResponse {
  const perms = account?.permissions ?? new Set<Permission>();
  const up = online && account !== undefined;
  const set = account?.acsStatus ?? {};
  // An override never says on-line for an ACS that is not: off-line, every flag stays N.
  const flag = (override: boolean | undefined, derived: boolean) => up && (override ?? derived);
  // SIP2 reads timeout 000 as "ACS not on-line": it follows the on-line flag sent.
  const onlineStatus = flag(set.online, true);
  return {
    code: "98",
    onlineStatus,
    checkinOk: flag(set.checkin, perms.has("checkin")),
    checkoutOk: flag(set.checkout, perms.has("checkout")),
    acsRenewalPolicy: flag(set.renewal, perms.has("renew")),
    // SIP2 "status update ok" is about patron status (block / enable), not item status.
    statusUpdateOk: flag(set.statusUpdate, perms.has("block")),
    offlineOk: flag(set.offline, perms.has("offline")),
    timeoutPeriod: onlineStatus && account ? Math.min(999, Math.round(account.timeoutMs / 100)) : 0,
    retriesAllowed: RETRIES_ALLOWED,
    dateTimeSync: now,
    protocolVersion: "2.00",
    institutionId: account?.institutionId ?? "",
    ...(account ? { libraryName: account.libraryName, terminalLocation: location } : {}),
    supportedMessages: { ...supportedMessages(perms), ...set.supportedMessages },
  };
}
