import type { FastifyReply } from "fastify";
import { sessionCookieName } from "../http/app.js";
import type { SignedInRequest } from "../http/api.js";
import type { ConsoleDeps } from "../http/deps.js";

/** How often an open stream checks that its session still lives (without restarting its idle clock). */
const SESSION_CHECK_MS = 15_000;
/** Changes arriving together (a gateway's burst of writes) go out as one event. */
const COALESCE_MS = 150;

/**
 * Server-Sent Events of the fleet: one `fleet` event at once, then one after every change of
 * either bucket (coalesced) and at least every `pushMs`, so a terminal's silence shows without
 * a write from it. The stream ends when its session ends (`signed-out` event first) and when the
 * console stops.
 */
export async function openTerminalStream(deps: ConsoleDeps, req: SignedInRequest, reply: FastifyReply, view: () => unknown): Promise<FastifyReply> {
  const { watch, pushMs, streams } = deps.terminals;
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    // Proxies that buffer (nginx) would hold events back.
    "x-accel-buffering": "no",
  });
  let pending: NodeJS.Timeout | undefined;
  const send = () => {
    pending = undefined;
    res.write(`event: fleet\ndata: ${JSON.stringify(view())}\n\n`);
  };
  const soon = () => {
    pending ??= setTimeout(send, COALESCE_MS);
  };
  const unwatch = watch.onChange(soon);
  const tick = setInterval(send, pushMs);
  const cookie = req.cookies[sessionCookieName(deps.secureCookies)];
  const check = setInterval(() => {
    deps.sessions.resolve(cookie, { touch: false }).then(
      (s) => {
        if (!s) {
          res.write("event: signed-out\ndata: {}\n\n");
          end();
        }
      },
      (err) => req.log.debug({ err }, "session check of a fleet stream failed"),
    );
  }, SESSION_CHECK_MS);
  const end = () => {
    unwatch();
    clearInterval(tick);
    clearInterval(check);
    clearTimeout(pending);
    streams.delete(end);
    res.end();
  };
  streams.add(end);
  res.on("close", end);
  send();
  return reply;
}
