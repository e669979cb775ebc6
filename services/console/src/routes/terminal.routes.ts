import type { FastifyReply } from "fastify";
import type { ApiRoute, SignedInRequest } from "../http/api.js";
import type { ConsoleDeps } from "../http/deps.js";
import { createTerminalAccount, describeSettings, settingsProperties, type TerminalSettings, updateTerminalAccount } from "../terminals/terminal-accounts.js";
import { type AccountRecord, terminalViews } from "../terminals/terminal-view.js";
import { fleetSchema, terminalSchema } from "../views/terminals.js";
import { object } from "../views/schemas.js";
import { recordedAction } from "./action.js";
import { openTerminalStream } from "./terminal-stream.js";

const login = { type: "string", minLength: 1, maxLength: 64, pattern: "^[-_=A-Za-z0-9]+(\\.[-_=A-Za-z0-9]+)*$" } as const;
const settingNames = Object.keys(settingsProperties) as (keyof typeof settingsProperties)[];

/** The fleet as the page shows it, now. */
export function fleetView(deps: ConsoleDeps) {
  const { watch, silentMs } = deps.terminals;
  const now = Date.now();
  return { at: new Date(now).toISOString(), silentAfterSeconds: silentMs / 1000, terminals: terminalViews(watch, now, silentMs) };
}

/** One terminal's view with a record just written (the watch may not have seen it yet). */
function viewWith(deps: ConsoleDeps, record: AccountRecord) {
  const { watch, silentMs } = deps.terminals;
  const accounts = new Map(watch.accounts).set(record.login, record);
  return terminalViews({ accounts, connections: watch.connections, fileAccounts: watch.fileAccounts, lastSeen: watch.lastSeen }, Date.now(), silentMs).find(
    (t) => t.login === record.login,
  )!;
}

/** Terminal accounts and the live fleet: read by every role, changed by administrators. */
export function terminalRoutes(deps: ConsoleDeps): ApiRoute[] {
  return [
    {
      method: "GET",
      url: "/api/terminals",
      access: "viewer",
      summary: "Every terminal account (the console's, and the gateways' accounts files', read-only) with its live state",
      tags: ["terminals"],
      schema: { response: { 200: fleetSchema } },
      handler: async () => fleetView(deps),
    },
    {
      method: "GET",
      url: "/api/terminals/stream",
      access: "viewer",
      summary: "The same view as Server-Sent Events (event `fleet`), sent on every change and at least every few seconds",
      tags: ["terminals"],
      schema: { response: { 200: { description: "text/event-stream of `fleet` events, each the answer of GET /api/terminals", content: { "text/event-stream": { schema: { type: "string" } } } } } },
      handler: async (req: SignedInRequest, reply: FastifyReply) => openTerminalStream(deps, req, reply, () => fleetView(deps)),
    },
    {
      method: "POST",
      url: "/api/terminals",
      access: "administrator",
      summary: "Add a terminal account (checked by the gateways' own rules before it is written)",
      tags: ["terminals"],
      schema: { body: object({ login, ...settingsProperties }, settingNames.filter((n) => n !== "institutionId")), response: { 201: terminalSchema } },
      handler: async (req: SignedInRequest, reply: FastifyReply) => {
        const { login: name, ...settings } = req.body as TerminalSettings & { login: string };
        const written = await recordedAction(deps, req, { action: "terminal.create", target: `terminal ${name}: ${describeSettings(settings)}` }, () =>
          createTerminalAccount(deps.terminals.watch.accountsKv, deps.terminals.watch, name, settings),
        );
        return reply.status(201).send(viewWith(deps, { login: name, entry: written.entry, revision: written.revision, problems: [] }));
      },
    },
    {
      method: "PATCH",
      url: "/api/terminals/:login",
      access: "administrator",
      summary:
        "Change a terminal account read at `revision` (409 when it changed since, and for an account of a gateway's accounts file, which is changed in that file). `active: false` closes its open connections at every gateway and refuses its logins",
      tags: ["terminals"],
      schema: {
        params: object({ login }),
        body: { ...object({ revision: { type: "integer", minimum: 1 }, ...settingsProperties }, settingNames), minProperties: 2 },
        response: { 200: terminalSchema },
      },
      handler: async (req: SignedInRequest) => {
        const { login: name } = req.params as { login: string };
        const { revision, ...settings } = req.body as TerminalSettings & { revision: number };
        const written = await recordedAction(deps, req, { action: "terminal.update", target: `terminal ${name}: ${describeSettings(settings)}` }, () =>
          updateTerminalAccount(deps.terminals.watch.accountsKv, deps.terminals.watch, name, revision, settings),
        );
        return viewWith(deps, { login: name, entry: written.entry, revision: written.revision, problems: [] });
      },
    },
  ];
}
