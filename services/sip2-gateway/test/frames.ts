/**
 * Frames a fuzzer sends: random bytes, NULs, blanks, control bytes, oversize lines and valid
 * requests with bytes changed, inserted or deleted, each with a CR, CR LF or LF and sometimes
 * followed by bare terminators (which are not frames). Shared by the property test and the
 * fuzz script.
 */
import fc from "fast-check";
import { msg } from "./harness.js";

const CR = 0x0d;
const LF = 0x0a;
/** Any byte but a line terminator (which would cut the frame in two). */
const noTerminator = (b: number) => (b === CR || b === LF ? b ^ 0x40 : b);
const body = (bytes: Uint8Array) => Buffer.from(bytes.subarray(0, bytes[bytes.length - 1] === CR ? -1 : undefined));

/** Valid requests without their CR; `secret` is the password of the 93s. */
export function templates(secret: string): Buffer[] {
  return [
    body(msg.login("kiosk1", secret, 1)),
    body(msg.login("kiosk1", "kiosk1pw", 2, "MAIN")),
    body(msg.status(3)),
    body(msg.status()),
    body(msg.checkout("P0001", "I0001", 4, { pin: "1234" })),
    body(msg.patronStatus("P0001", 5, "1234")),
    Buffer.from("97AZFEF5", "latin1"),
    Buffer.from(`9300CNkiosk1CO${secret}|CPMAIN|`, "latin1"),
  ];
}

type Mutation = { op: "set" | "insert" | "delete"; at: number; byte: number };

function mutate(template: Buffer, mutations: Mutation[]): Buffer {
  const bytes = [...template];
  for (const { op, at, byte } of mutations) {
    const i = at % (bytes.length + 1);
    if (op === "insert") bytes.splice(i, 0, byte);
    else if (bytes.length > 1 && i < bytes.length) {
      if (op === "set") bytes[i] = byte;
      else bytes.splice(i, 1);
    }
  }
  return Buffer.from(bytes);
}

const byte = fc.integer({ min: 0, max: 255 }).map(noTerminator);
const mutation: fc.Arbitrary<Mutation> = fc.record({ op: fc.constantFrom("set", "insert", "delete"), at: fc.nat(), byte });

/** The content of one frame: never empty, never a terminator inside. */
export function frameBody(secret: string, maxFrameBytes: number): fc.Arbitrary<Buffer> {
  const valid = fc.constantFrom(...templates(secret));
  return fc.oneof(
    { weight: 6, arbitrary: fc.tuple(valid, fc.array(mutation, { minLength: 1, maxLength: 4 })).map(([t, m]) => mutate(t, m)) },
    { weight: 2, arbitrary: valid },
    { weight: 3, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 120 }).map((a) => Buffer.from(a.map(noTerminator))) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 64 }).map((n) => Buffer.alloc(n, 0)) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 64 }).map((n) => Buffer.alloc(n, 0x20)) },
    { weight: 1, arbitrary: fc.array(fc.constantFrom(0x00, 0x09, 0x1b, 0x20, 0x7f), { minLength: 1, maxLength: 24 }).map((a) => Buffer.from(a)) },
    { weight: 1, arbitrary: fc.constant(Buffer.alloc(maxFrameBytes + 1, 0x41)) },
  );
}

export interface Frame {
  body: Buffer;
  terminator: "\r" | "\n" | "\r\n";
  /** Bare terminators after the frame: not frames, never answered. */
  after: string;
}

export function frame(secret: string, maxFrameBytes: number): fc.Arbitrary<Frame> {
  return fc.record({
    body: frameBody(secret, maxFrameBytes),
    terminator: fc.constantFrom("\r" as const, "\n" as const, "\r\n" as const),
    after: fc.constantFrom("", "", "", "\r", "\n", "\r\n", "\r\n\r\n"),
  });
}

/** The bytes of several pipelined frames. */
export function wire(frames: Frame[]): Buffer {
  return Buffer.concat(frames.flatMap((f) => [f.body, Buffer.from(f.terminator + f.after, "latin1")]));
}
