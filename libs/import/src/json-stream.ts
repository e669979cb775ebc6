/**
 * Reads a JSON import document as it arrives, with stream-json's tokenizer, so
 * a document with a million items never sits in memory whole. The sections
 * named as large (patrons, items) come out one record at a time; every other
 * top-level value (the small reference sections, loans, holds, charges) comes
 * out assembled.
 */
import { Assembler } from "stream-json/assembler.js";
import { getManyValues, isMany, type Many, none } from "stream-chain/defs.js";
import { jsonParser, type Token } from "stream-json/core/parser.js";

export type DocumentEntry =
  /** A top-level key with its value (for a large section that is not an array too: the caller says it must be one). */
  | { readonly kind: "section"; readonly key: string; readonly value: unknown }
  /** One element of a large section's array; `value` is undefined when the caller only counts them. */
  | { readonly kind: "record"; readonly section: string; readonly index: number; readonly value: unknown };

/** The document is not a JSON object of sections; the message says where. */
export class DocumentShapeError extends Error {
  override readonly name = "DocumentShapeError";
}

export interface DocumentReadOptions {
  /** Sections read record by record. */
  readonly large: ReadonlySet<string>;
  /** Large sections whose records are assembled; the others' are only counted. */
  readonly assemble: ReadonlySet<string>;
}

const OPENS = new Set(["startObject", "startArray"]);
const CLOSES = new Set(["endObject", "endArray"]);

/**
 * The entries of the document in `chunks`, in document order. Throws a
 * {@link DocumentShapeError} when the top level is not an object, and the
 * tokenizer's error when the text is not JSON.
 */
export async function* documentEntries(chunks: AsyncIterable<string> | Iterable<string>, options: DocumentReadOptions): AsyncGenerator<DocumentEntry> {
  // The bare tokenizer: synchronous, a string in and a batch of tokens out (the wrapped parser makes an async generator of every chunk).
  const tokenize = jsonParser({ packValues: true, streamValues: false });
  // Where the reader is: 0 before the document, 1 inside the top object, 2 inside a large section's array.
  let level = 0;
  let key = "";
  let ended = false;
  // The value being assembled (or skipped: asm undefined) and how deep inside it the reader is.
  let asm: Assembler | undefined;
  let depth = 0;
  let index = 0;
  let large = "";

  const done = (): DocumentEntry => {
    const value = asm?.current;
    asm = undefined;
    return level === 2 ? { kind: "record", section: large, index: index++, value } : { kind: "section", key, value };
  };
  const startValue = (token: Token, assembler: Assembler | undefined): DocumentEntry | undefined => {
    asm = assembler;
    asm?.consume(token);
    depth = OPENS.has(token.name) ? 1 : 0;
    return depth === 0 ? done() : undefined;
  };
  const step = (token: Token): DocumentEntry | undefined => {
    if (depth > 0) {
      asm?.consume(token);
      if (OPENS.has(token.name)) depth++;
      else if (CLOSES.has(token.name)) depth--;
      return depth === 0 ? done() : undefined;
    }
    if (level === 0) {
      if (ended) throw new DocumentShapeError("the document must be one JSON object");
      if (token.name !== "startObject") throw new DocumentShapeError("the document must be a JSON object");
      level = 1;
      return undefined;
    }
    if (level === 1) {
      if (token.name === "keyValue") key = token.value;
      else if (token.name === "endObject") {
        level = 0;
        ended = true;
      } else if (token.name === "startArray" && options.large.has(key)) {
        level = 2;
        large = key;
        index = 0;
      } else return startValue(token, new Assembler());
      return undefined;
    }
    // level 2: the elements of a large section.
    if (token.name === "endArray") {
      level = 1;
      return undefined;
    }
    return startValue(token, options.assemble.has(large) ? new Assembler() : undefined);
  };

  let first = true;
  for await (const chunk of chunks) {
    // The bare tokenizer takes a byte-order mark for an error; a file may start with one.
    const text = first && chunk.charCodeAt(0) === 0xfeff ? chunk.slice(1) : chunk;
    first = false;
    for (const token of tokensOf(tokenize(text))) {
      const entry = step(token);
      if (entry) yield entry;
    }
  }
  // A Flushable is called with `none` at the end of its input (stream-chain's protocol), which its type leaves out.
  const flush = tokenize as unknown as (end: typeof none) => Many<Token> | typeof none;
  for (const token of tokensOf(flush(none))) {
    const entry = step(token);
    if (entry) yield entry;
  }
  if (!ended) throw new DocumentShapeError("the document ends before its object does");
}

function tokensOf(out: Many<Token> | typeof none): readonly Token[] {
  if (out === none) return [];
  return isMany(out) ? (getManyValues(out) as Token[]) : [out as Token];
}
