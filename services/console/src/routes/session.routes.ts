import type { FastifyReply } from "fastify";
import { ApiError, type ApiRoute, type SignedInRequest } from "../http/api.js";
import { sessionCookieName } from "../http/app.js";
import type { ConsoleDeps } from "../http/deps.js";
import { verifyPassword } from "../passwords.js";
import { findStaff } from "../staff.js";
import { me, object } from "../views/schemas.js";

/**
 * A hash to check a password against when the name is not an account, so a
 * wrong name costs what a wrong password costs and timing does not tell
 * which names exist. (Its password is random and never kept.)
 */
const DUMMY_HASH = "scrypt$16384$8$1$IwbXCc6aMHuWZXHq+sThmQ==$2e51y/wxiWnAcLRto6W89hW4r2l5AYGFbkcaahYWfho=";

/** Sign in, who am I, sign out. */
export function sessionRoutes(deps: ConsoleDeps): ApiRoute[] {
  const cookieName = sessionCookieName(deps.secureCookies);
  return [
    {
      method: "POST",
      url: "/api/session",
      access: "public",
      summary: "Sign in: sets the session cookie and returns the CSRF token",
      tags: ["session"],
      schema: {
        body: object({ name: { type: "string", minLength: 1, maxLength: 64 }, password: { type: "string", minLength: 1, maxLength: 1024 } }),
        response: { 200: me },
      },
      handler: async (req, reply: FastifyReply) => {
        const { name, password } = req.body as { name: string; password: string };
        const address = req.ip;
        const wait = deps.throttle.retryAfterMs(name, address);
        if (wait > 0) {
          await deps.audit.record({ type: "StaffLoginFailed", data: { staff: name, address, reason: "throttled" } });
          throw new ApiError(429, "too_many_attempts", "too many failed sign-ins; try again later", { "retry-after": String(Math.ceil(wait / 1000)) });
        }
        const account = await findStaff(deps.db, name);
        const ok = await verifyPassword(password, account?.password_hash ?? DUMMY_HASH);
        if (!account || !ok || !account.active) {
          deps.throttle.failed(name, address);
          const reason = account && ok ? "inactive" : "unknown-or-wrong-password";
          await deps.audit.record({ type: "StaffLoginFailed", data: { staff: name, address, reason } });
          throw new ApiError(401, "wrong_credentials", "wrong name or password, or the account is switched off");
        }
        deps.throttle.succeeded(name);
        const session = await deps.sessions.create(account.name, address);
        await deps.audit.record({ type: "StaffLoggedIn", data: { staff: account.name, role: account.role, address } });
        reply.setCookie(cookieName, session.id, {
          path: "/",
          httpOnly: true,
          sameSite: "strict",
          secure: deps.secureCookies,
          maxAge: Math.floor(deps.sessionPolicy.absoluteMs / 1000),
        });
        return { name: account.name, role: account.role, csrfToken: session.csrfToken };
      },
    },
    {
      method: "GET",
      url: "/api/session",
      access: "signed-in",
      summary: "The signed-in staff member: name, role and the CSRF token",
      tags: ["session"],
      schema: { response: { 200: me } },
      handler: async (req: SignedInRequest) => ({ name: req.staff.staff, role: req.staff.role, csrfToken: req.staff.csrfToken }),
    },
    {
      method: "DELETE",
      url: "/api/session",
      access: "signed-in",
      summary: "Sign out: ends the session",
      tags: ["session"],
      schema: { response: { 204: { type: "null" } } },
      handler: async (req: SignedInRequest, reply: FastifyReply) => {
        await deps.sessions.end(req.staff);
        await deps.audit.record({ type: "StaffLoggedOut", data: { staff: req.staff.staff, role: req.staff.role } });
        reply.clearCookie(cookieName, { path: "/" });
        return reply.status(204).send();
      },
    },
  ];
}
