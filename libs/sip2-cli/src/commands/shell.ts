/**
 * `sip2 shell`: an interactive SIP2 terminal on one connection. Request commands as in the
 * one-shot CLI without the `sip2` prefix, `raw <line>` and a `:raw` mode that send lines as
 * typed, `help`, `quit`. History in ~/.sip2_history (lines with secrets are not saved).
 * After a network failure the next command reconnects (and logs in again).
 */
import { createInterface } from "node:readline";
import { Readable, type Writable } from "node:stream";
import { parseArgs } from "node:util";
import type { CliIo, Command } from "../cli.js";
import { Sip2Client } from "../client/client.js";
import { Sip2NetworkError } from "../client/connection.js";
import { CONNECTION_OPTIONS, CONNECTION_USAGE, readSettings, SESSION_OPTIONS, type Settings } from "../client/options.js";
import { REQUESTS, requestSpec } from "../client/requests.js";
import { EXIT_NETWORK, UsageError } from "../usage.js";
import { HISTORY_SIZE, historyPath, loadHistory, saveHistory } from "./history.js";
import { loginAccepted, printExchange } from "./request.js";
import { splitWords } from "./words.js";

/** Options a shell command may override for itself. */
const PER_COMMAND = { institution: SESSION_OPTIONS.institution, "terminal-password": SESSION_OPTIONS["terminal-password"], json: { type: "boolean" } } as const;

/** The shell's own help. */
export function shellHelp(): string {
  const names = Object.keys(REQUESTS);
  const width = Math.max(...names.map((n) => n.length));
  const lines = Object.entries(REQUESTS).map(([n, s]) => `  ${n.padEnd(width)}  ${s.synopsis}`);
  return `commands (each also takes --institution, --terminal-password, --json):
${lines.join("\n")}
  raw LINE     send LINE as typed (AY/AZ added with --error-detection)
  :raw         raw mode: every line is sent as typed; :cmd leaves it, :quit quits
  help         this list
  quit         close the connection and leave (also exit, Ctrl-D)
`;
}

/** One shell session. Exposed for tests; `sip2 shell` drives it from stdin. */
export class Shell {
  #client: Sip2Client | null = null;
  #raw = false;
  #done = false;

  constructor(
    readonly settings: Settings,
    readonly io: Pick<CliIo, "stdout" | "stderr">,
  ) {}

  /** Whether `quit` was entered. */
  get done(): boolean {
    return this.#done;
  }

  /** The prompt for the current mode. */
  get prompt(): string {
    return this.#raw ? "sip2 raw> " : "sip2> ";
  }

  /** Connects (and logs in) unless connected; false (reported) when the network fails. */
  async connect(): Promise<boolean> {
    if (this.#client && !this.#client.connection.closed) return true;
    try {
      this.#client = await Sip2Client.connect(this.settings.connect, this.settings.client);
      const ctx = { ...this.settings.context, now: new Date() };
      if (ctx.login) {
        const x = await this.#client.send(REQUESTS.login.build({}, ctx));
        printExchange(this.io.stdout, x, this.settings);
        if (!loginAccepted(x, this.settings)) this.io.stderr.write("login refused\n");
      }
      return true;
    } catch (e) {
      this.#networkError(e);
      return false;
    }
  }

  /** Handles one input line. Never throws for bad input or network failures. */
  async handle(line: string): Promise<void> {
    const text = line.replace(/\r$/, "");
    const trimmed = text.trim();
    if (trimmed === "") return;
    if (trimmed === ":raw" || trimmed === ":cmd") {
      this.#raw = trimmed === ":raw" ? !this.#raw : false;
      this.io.stdout.write(this.#raw ? "raw mode: lines are sent as typed; :cmd leaves\n" : "command mode\n");
      return;
    }
    if (this.#raw) {
      if (trimmed === ":quit") this.#done = true;
      else await this.#send((c) => c.sendRaw(text.trimStart()), this.settings);
      return;
    }
    const rawMatch = /^\s*raw(?:\s(.*))?$/.exec(text);
    if (rawMatch) {
      const payload = rawMatch[1] ?? "";
      if (payload.trim() === "") this.io.stderr.write("raw: give the message to send, e.g. raw 9900802.00\n");
      else await this.#send((c) => c.sendRaw(payload), this.settings);
      return;
    }
    let words: string[];
    try {
      words = splitWords(trimmed);
    } catch (e) {
      this.io.stderr.write(`${(e as Error).message}\n`);
      return;
    }
    const [name = "", ...args] = words;
    if (name === "quit" || name === "exit") {
      this.#done = true;
      return;
    }
    if (name === "help" || name === "?") {
      this.io.stdout.write(shellHelp());
      return;
    }
    const spec = requestSpec(name);
    if (!spec) {
      this.io.stderr.write(`unknown command ${JSON.stringify(name)} (help lists them)\n`);
      return;
    }
    try {
      const { values } = parseArgs({ args, options: { ...PER_COMMAND, ...spec.options }, strict: true, allowPositionals: false });
      const context = {
        ...this.settings.context,
        ...(typeof values.institution === "string" ? { institution: values.institution } : {}),
        ...(typeof values["terminal-password"] === "string" ? { terminalPassword: values["terminal-password"] } : {}),
      };
      const request = spec.build(values, { ...context, now: new Date() });
      await this.#send((c) => c.send(request), { ...this.settings, json: values.json === true || this.settings.json });
    } catch (e) {
      if (e instanceof UsageError || (e instanceof TypeError && "code" in e && String(e.code).startsWith("ERR_PARSE_ARGS"))) {
        this.io.stderr.write(`${name}: ${e.message}\nusage: ${name} ${spec.synopsis}\n`);
        return;
      }
      throw e;
    }
  }

  /** Closes the connection. */
  async close(): Promise<void> {
    await this.#client?.close();
    this.#client = null;
  }

  async #send(op: (c: Sip2Client) => Promise<import("../client/render.js").Exchange>, settings: Settings): Promise<void> {
    if (!(await this.connect()) || !this.#client) return;
    try {
      printExchange(this.io.stdout, await op(this.#client), settings);
    } catch (e) {
      this.#networkError(e);
    }
  }

  #networkError(e: unknown): void {
    if (!(e instanceof Sip2NetworkError)) throw e;
    this.io.stderr.write(`${e.message}\n`);
    const client = this.#client;
    this.#client = null;
    // A timed-out connection may still deliver the late answer: start afresh.
    void client?.close();
  }
}

export const shellCommand: Command = {
  summary: "interactive SIP2 session with history, decoded responses and a raw mode",
  usage: `usage: sip2 shell [connection options]

Opens one connection (logging in first with --login), then reads commands: the request
commands of this CLI without the "sip2" prefix (checkout --patron P0001 --item I0001),
raw LINE, :raw mode, help, quit. History is kept in ~/.sip2_history (SIP2_HISTORY
overrides); lines carrying a PIN or password are not saved. Exit code 1 when the first
connection fails, else 0.

${CONNECTION_USAGE}`,
  async run(args, io) {
    const { values } = parseArgs({ args, options: { ...CONNECTION_OPTIONS, ...SESSION_OPTIONS }, strict: true, allowPositionals: false });
    if (values.help) {
      io.stdout.write(`${this.usage}\n`);
      return 0;
    }
    const shell = new Shell(readSettings(values, io.env), io);
    if (!(await shell.connect())) return EXIT_NETWORK;

    const path = historyPath(io.env);
    const previous = await loadHistory(path);
    const added: string[] = [];
    const input = io.stdin instanceof Readable ? io.stdin : Readable.from(io.stdin);
    const terminal = (input as { isTTY?: boolean }).isTTY === true;
    const rl = createInterface(
      terminal
        ? { input, output: io.stdout as unknown as Writable, terminal: true, history: [...previous].reverse(), historySize: HISTORY_SIZE, removeHistoryDuplicates: true }
        : { input, terminal: false },
    );
    rl.setPrompt(shell.prompt);
    if (terminal) rl.prompt();
    try {
      for await (const line of rl) {
        if (line.trim() !== "" && added.at(-1) !== line) added.push(line);
        await shell.handle(line);
        if (shell.done) break;
        rl.setPrompt(shell.prompt);
        if (terminal) rl.prompt();
      }
    } finally {
      rl.close();
      await shell.close();
      await saveHistory(path, previous, added);
    }
    return 0;
  },
};
