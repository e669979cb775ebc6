/**
 * @circulate/sip2 — the SIP2 2.00 protocol as pure functions: typed models for every
 * message, a lenient total parser, a strict encoder, checksums, a streaming framer,
 * charsets and SIP dates. No I/O.
 */

export { Charset, DEFAULT_CHARSET, decodeText, encodeText, normalizeCharset } from "./charset.js";
export {
  appendTrailer,
  type ChecksumStatus,
  computeChecksum,
  splitTrailer,
  type TrailerInfo,
  verifyChecksum,
  verifyCodePointChecksum,
} from "./checksum.js";
export * from "./codes.js";
export {
  BLANK_SIP_DATE,
  type FormatSipDateOptions,
  formatSipDate,
  isoWithOffset,
  isValidTimeZone,
  parseSipDate,
  type SipDateOptions,
  type SipDateResult,
  type SipDateZone,
  ZERO_SIP_DATE,
} from "./dates.js";
export { type Description, type DescriptionError, describeMessage, type JsonValue, type MessageDescription } from "./describe.js";
export { type EncodeOptions, encodeMessage, Sip2EncodeError } from "./encode.js";
export {
  type Direction,
  type FixedSpec,
  MAX_VALUE_LENGTH,
  type MessageDef,
  type SipField,
  type SipMessageBase,
  sanitizeValue,
  type TagSpec,
} from "./fields.js";
export { ParseErrorCode } from "./frame.js";
export { DEFAULT_MAX_FRAME_BYTES, type FramerEvent, type FramerOptions, Sip2Framer, type Terminator } from "./framer.js";
export * from "./messages/index.js";
export { type CodecOptions, checkCodecOptions } from "./options.js";
export {
  type ParseError,
  type ParseFailure,
  type ParseOptions,
  type ParseResult,
  type ParseSuccess,
  type ParseWarning,
  type ParseWarningCode,
  parseMessage,
  parseRequest,
  parseResponse,
} from "./parse.js";
