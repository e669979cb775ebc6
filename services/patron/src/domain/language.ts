import { common } from "@circulate/contracts";

/**
 * SIP2 language codes ("001" English …) in code order: index = code.
 * Written out rather than derived from enum numbers, which proto/README.md
 * says not to rely on.
 */
const BY_CODE: readonly common.Language[] = [
  common.Language.UNSPECIFIED,
  common.Language.ENGLISH,
  common.Language.FRENCH,
  common.Language.GERMAN,
  common.Language.ITALIAN,
  common.Language.DUTCH,
  common.Language.SWEDISH,
  common.Language.FINNISH,
  common.Language.SPANISH,
  common.Language.DANISH,
  common.Language.PORTUGUESE,
  common.Language.CANADIAN_FRENCH,
  common.Language.NORWEGIAN,
  common.Language.HEBREW,
  common.Language.JAPANESE,
  common.Language.RUSSIAN,
  common.Language.ARABIC,
  common.Language.POLISH,
  common.Language.GREEK,
  common.Language.CHINESE,
  common.Language.KOREAN,
  common.Language.NORTH_AMERICAN_SPANISH,
  common.Language.TAMIL,
  common.Language.MALAY,
  common.Language.UNITED_KINGDOM,
  common.Language.ICELANDIC,
  common.Language.BELGIAN,
  common.Language.TAIWANESE,
];

/** The contract's language for a SIP2 code; UNSPECIFIED for codes it has no value for. */
export function languageOfCode(code: string): common.Language {
  return BY_CODE[Number(code)] ?? common.Language.UNSPECIFIED;
}

/** The SIP2 code of a contract language; "000" (unknown) for UNSPECIFIED and values newer than this table. */
export function codeOfLanguage(language: common.Language): string {
  const i = BY_CODE.indexOf(language);
  return String(Math.max(i, 0)).padStart(3, "0");
}
