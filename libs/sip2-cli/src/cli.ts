/**
 * Argument parsing and subcommand dispatch for `sip2`. Each subcommand is one entry in
 * {@link COMMANDS}: `decode`, one network command per SIP2 request (generated from
 * `client/requests.ts`), and `shell`.
 */
import { parseArgs } from "node:util";
import { checkCodecOptions } from "@circulate/sip2";
import { REQUESTS, type RequestName } from "./client/requests.js";
import { decode } from "./commands/decode.js";
import { requestCommand } from "./commands/request.js";
import { shellCommand } from "./commands/shell.js";
import { charsetOption, EXIT_USAGE, timeZoneOption, UsageError } from "./usage.js";

export { EXIT_NETWORK, EXIT_USAGE } from "./usage.js";

/** The process's streams and environment, injectable for tests. */
export interface CliIo {
  stdin: AsyncIterable<Uint8Array | string>;
  stdout: { write(chunk: string): boolean; once(event: "drain", listener: () => void): unknown };
  stderr: { write(chunk: string): unknown };
  env: Record<string, string | undefined>;
}

/** One subcommand. `run` returns the exit code. */
export interface Command {
  /** One line for `sip2 --help`. */
  summary: string;
  /** Full usage text. */
  usage: string;
  run(args: string[], io: CliIo): Promise<number>;
}

const decodeCommand: Command = {
  summary: "decode raw SIP2 messages (one per line on stdin) to JSON lines",
  usage: `usage: sip2 decode [--charset ibm850|utf8|latin1] [--tz ZONE] [--delimiter C] [--reveal-secrets]

Reads raw SIP2 messages from standard input, one per line (LF or CR LF line ends; a CR
ending the message is fine), and prints one JSON object per message: code, name,
direction, named fixed and tagged fields, sequence number and checksum verdict
(valid|invalid|absent), or an error. Bad input never makes it exit non-zero.

  --charset   charset the messages were sent in (default ibm850, the SIP2 default)
  --tz        IANA time zone for local SIP dates (default SIP2_TZ or this machine's zone)
  --delimiter field delimiter (default |)
  --reveal-secrets  print passwords and PINs (CO, AC, AD) as sent; masked by default

example: printf '941AY0AZFDFD\\r\\n' | sip2 decode`,
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: { charset: { type: "string" }, tz: { type: "string" }, delimiter: { type: "string" }, "reveal-secrets": { type: "boolean" }, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: false,
    });
    if (values.help) {
      io.stdout.write(`${this.usage}\n`);
      return 0;
    }
    const options = {
      charset: charsetOption(values.charset),
      timeZone: timeZoneOption(values.tz, io.env),
      ...(values.delimiter !== undefined ? { delimiter: values.delimiter } : {}),
      revealSecrets: values["reveal-secrets"] === true,
    };
    const problem = checkCodecOptions(options);
    if (problem) throw new UsageError(problem);
    await decode(io.stdin, io.stdout, options);
    return 0;
  },
};

/** All subcommands by name. */
export const COMMANDS: Record<string, Command> = {
  decode: decodeCommand,
  ...Object.fromEntries((Object.keys(REQUESTS) as RequestName[]).map((name) => [name, requestCommand(name)])),
  shell: shellCommand,
};

function help(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `usage: sip2 <command> [options]\n\ncommands:\n${lines.join("\n")}\n\nsip2 <command> --help shows a command's options.\n`;
}

/**
 * Runs `sip2` with `argv` (without node and script) and returns the exit code: 0 on
 * success (a server's refusal included), {@link EXIT_NETWORK} when the connection fails or
 * no response arrives in time, {@link EXIT_USAGE} for usage errors.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    (name === undefined ? io.stderr : io.stdout).write(help());
    return name === undefined ? EXIT_USAGE : 0;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    io.stderr.write(`sip2: unknown command ${JSON.stringify(name)}\n\n${help()}`);
    return EXIT_USAGE;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError || (e instanceof TypeError && "code" in e && String(e.code).startsWith("ERR_PARSE_ARGS"))) {
      io.stderr.write(`sip2 ${name}: ${e.message}\n\n${command.usage}\n`);
      return EXIT_USAGE;
    }
    throw e;
  }
}
