/**
 * Response profiles: which optional fields a terminal's responses leave out, and which
 * extension fields they add. Profiles are data (built in here, or written in the accounts
 * file); what each extension carries is decided in the translation tables.
 */
import { MESSAGE_DEFS, type MessageCode } from "@circulate/sip2";

/**
 * Extension fields a profile may add, each from what the services already answer:
 * - patronType: PC in 64 (patron class: Koha category, Evergreen profile);
 * - patronExpiry: PA in 64, the card's expiry as an 18-char date (Evergreen, Envisionware;
 *   Koha uses PA for something else, so it is never sent unasked);
 * - birthDate: PB in 64, YYYYMMDD (Koha, Evergreen, Envisionware);
 * - internetPrivileges: PI in 64, Y or N as the patron service judges it (Koha);
 * - borrowerType: FU patron type and FV its description in 64 (FOLIO);
 * - homeLibrary: AQ in 64, the patron's home institution (Evergreen);
 * - contactInPatronStatus: BD/BE/BF in 24 as in 64 (Sierra: kiosks e-mail receipts);
 * - callNumber, collectionCode: CS, CR in 12 and 30, as 10 and 18 always carry them;
 * - extendedFees: per open charge in 64 the group EB item barcode, ET title, EC/ED fee type
 *   code and name, EF amount, EK fee id, BZ the id a payment quotes (Alma's Extended Fines
 *   and Fees); BZ then no longer carries the hold items limit, and a 37 may name the fee by
 *   EK or BZ.
 */
export const EXTENSIONS = [
  "patronType",
  "patronExpiry",
  "birthDate",
  "internetPrivileges",
  "borrowerType",
  "homeLibrary",
  "contactInPatronStatus",
  "callNumber",
  "collectionCode",
  "extendedFees",
] as const;
export type Extension = (typeof EXTENSIONS)[number];

/** A profile as resolved for an account. */
export interface ResponseProfile {
  readonly name: string;
  /** Field IDs left out of every response in which SIP2 does not require them. */
  readonly hide: ReadonlySet<string>;
  readonly add: ReadonlySet<Extension>;
}

/** A profile as written in the accounts file's `profiles` (or built in). */
export interface ProfileEntry {
  /** A built-in profile or one defined earlier in the file; its hide and add are kept. */
  extends?: string;
  hide?: string[];
  add?: string[];
}

/**
 * The built-in profiles, named for the system whose responses a terminal was set up
 * against. `default` is what every account had before profiles existed.
 */
export const BUILT_IN_PROFILES: Readonly<Record<string, ProfileEntry>> = {
  default: { add: ["patronType"] },
  // 3M (now Bibliotheca) wrote the SIP2 extensions: its units read CS and CR on every item response.
  bibliotheca: { extends: "default", add: ["callNumber", "collectionCode"] },
  envisionware: { add: ["patronType", "patronExpiry", "birthDate"] },
  koha: { add: ["patronType", "birthDate", "internetPrivileges"] },
  evergreen: { add: ["patronType", "patronExpiry", "birthDate", "homeLibrary"] },
  folio: { add: ["borrowerType"] },
  alma: { add: ["extendedFees"] },
  sierra: { add: ["patronType", "contactInPatronStatus"] },
  // Public-view terminals: nothing a bystander could read about the patron but the name.
  private: { extends: "default", hide: ["BD", "BE", "BF", "PB"] },
};

/** Personal data a `patronPrivacy: noContact` account never sends (the older setting, kept). */
export const CONTACT_FIELDS = ["BD", "BE", "BF"] as const;

const RESPONSES = Object.values(MESSAGE_DEFS).filter((d) => d.direction === "response");
/** Field IDs extensions add outside the message definitions. */
const EXTENSION_IDS = new Set(["FU", "FV", "EB", "ET", "EC", "ED", "EF", "EK", "CS", "CR"]);

/** Why `id` cannot be hidden, or undefined when it can. */
function hideProblem(id: string): string | undefined {
  const carriers = RESPONSES.filter((d) => d.fields.some((f) => f.id === id));
  if (carriers.length === 0) return EXTENSION_IDS.has(id) ? undefined : `${id} is not a field of any response`;
  const optional = carriers.some((d) => d.fields.some((f) => f.id === id && !f.required));
  if (!optional) return `${id} is required in ${carriers.map((d) => d.code).join(", ")} and cannot be left out`;
  return undefined;
}

/** True when the response `code` must carry `id` whatever the profile says. */
export function isRequiredIn(code: MessageCode, id: string): boolean {
  return MESSAGE_DEFS[code].fields.some((f) => f.id === id && f.required);
}

/**
 * Resolves the file's profiles (in order, each may extend a built-in or an earlier one) on
 * top of the built-in ones. Problems are reported with the profile's name.
 */
export function resolveProfiles(entries: Readonly<Record<string, ProfileEntry>>, problems: string[]): Map<string, ResponseProfile> {
  const resolved = new Map<string, ResponseProfile>();
  const resolve = (name: string, entry: ProfileEntry, where: string) => {
    const base = entry.extends === undefined ? undefined : resolved.get(entry.extends);
    if (entry.extends !== undefined && base === undefined) problems.push(`${where}: extends "${entry.extends}", which is not a built-in or earlier profile`);
    const hide = new Set(base?.hide);
    for (const id of entry.hide ?? []) {
      const problem = hideProblem(id);
      if (problem === undefined) hide.add(id);
      else problems.push(`${where}: hide: ${problem}`);
    }
    const add = new Set(base?.add);
    for (const e of entry.add ?? []) {
      if ((EXTENSIONS as readonly string[]).includes(e)) add.add(e as Extension);
      else problems.push(`${where}: add: unknown extension "${e}"`);
    }
    resolved.set(name, { name, hide, add });
  };
  for (const [name, entry] of Object.entries(BUILT_IN_PROFILES)) resolve(name, entry, `built-in profile ${name}`);
  for (const [name, entry] of Object.entries(entries)) {
    if (Object.hasOwn(BUILT_IN_PROFILES, name)) problems.push(`profiles.${name}: is a built-in profile; choose another name`);
    else resolve(name, entry, `profiles.${name}`);
  }
  return resolved;
}

/** The default profile, for accounts that name none (and for the not-yet-logged-in session). */
export const DEFAULT_PROFILE: ResponseProfile = resolveProfiles({}, []).get("default") as ResponseProfile;

/** The profile an account uses, with `noContact` privacy folded into what it hides. */
export function withPrivacy(profile: ResponseProfile, noContact: boolean): ResponseProfile {
  return noContact ? { ...profile, hide: new Set([...profile.hide, ...CONTACT_FIELDS]) } : profile;
}
