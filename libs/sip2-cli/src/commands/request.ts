/**
 * One-shot request subcommands (`sip2 checkout --patron P0001 --item I0001`): connect, log
 * in when `--login` is given, send one request, print the answer, close. Generated from
 * {@link REQUESTS}; a refusal from the server is an answer (exit 0), no answer is not (exit 1).
 */
import { parseArgs } from "node:util";
import { parseResponse } from "@circulate/sip2";
import type { CliIo, Command } from "../cli.js";
import { Sip2Client } from "../client/client.js";
import { Sip2NetworkError } from "../client/connection.js";
import { CONNECTION_OPTIONS, CONNECTION_USAGE, readSettings, SESSION_OPTIONS, type Settings } from "../client/options.js";
import { type Exchange, exchangeJson, renderExchange } from "../client/render.js";
import { REQUESTS, type RequestName, type RequestSpec } from "../client/requests.js";
import { EXIT_NETWORK } from "../usage.js";

/** Prints one exchange readably, or as one JSON line with `--json`. */
export function printExchange(out: CliIo["stdout"], x: Exchange, settings: Pick<Settings, "client" | "json" | "revealSecrets">): void {
  const opts = { charset: settings.client.charset, timeZone: settings.client.timeZone, revealSecrets: settings.revealSecrets };
  out.write(settings.json ? exchangeJson(x, opts) : renderExchange(x, opts));
}

/** Whether an exchange is a 94 with ok = 1. */
export function loginAccepted(x: Exchange, settings: Pick<Settings, "client">): boolean {
  const r = parseResponse(x.response, { charset: settings.client.charset, timeZone: settings.client.timeZone });
  return r.ok && r.message.code === "94" && r.message.ok;
}

/** Reports a network failure on stderr; rethrows anything else (a bug). */
export function networkFailure(io: CliIo, name: string, e: unknown): number {
  if (!(e instanceof Sip2NetworkError)) throw e;
  io.stderr.write(`sip2 ${name}: ${e.message}\n`);
  return EXIT_NETWORK;
}

/** Builds the one-shot subcommand for a request. */
export function requestCommand(name: RequestName): Command {
  const spec: RequestSpec = REQUESTS[name];
  const options = { ...CONNECTION_OPTIONS, ...SESSION_OPTIONS, ...spec.options };
  return {
    summary: spec.summary,
    usage: `usage: sip2 ${name} ${spec.synopsis ? `${spec.synopsis} ` : ""}[connection options]

${spec.summary}

Prints the request sent (>), the response (<) and the response decoded. Exit code 0 when
the server answered (even with a refusal), 1 when the connection failed or no response
came in time.

example: sip2 ${spec.example}

${CONNECTION_USAGE}`,
    async run(args, io) {
      const { values } = parseArgs({ args, options, strict: true, allowPositionals: false });
      if (values.help) {
        io.stdout.write(`${this.usage}\n`);
        return 0;
      }
      const settings = readSettings(values, io.env);
      const ctx = { ...settings.context, now: new Date() };
      // Build before connecting, so a usage error never touches the server.
      const request = spec.build(values, ctx);
      const login = name !== "login" && ctx.login ? REQUESTS.login.build({}, ctx) : null;
      let client: Sip2Client;
      try {
        client = await Sip2Client.connect(settings.connect, settings.client);
      } catch (e) {
        return networkFailure(io, name, e);
      }
      try {
        if (login) {
          const x = await client.send(login);
          printExchange(io.stdout, x, settings);
          if (!loginAccepted(x, settings)) {
            io.stderr.write(`sip2 ${name}: login refused; ${name} not sent\n`);
            return 0;
          }
        }
        printExchange(io.stdout, await client.send(request), settings);
        return 0;
      } catch (e) {
        return networkFailure(io, name, e);
      } finally {
        await client.close();
      }
    },
  };
}
