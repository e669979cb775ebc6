import cookie from "@fastify/cookie";
import fastifyStatic from "@fastify/static";
import swagger from "@fastify/swagger";
import { status as grpcStatus } from "@grpc/grpc-js";
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import type { Logger } from "pino";
import { ServiceCallError } from "../service-clients.js";
import { csrfMatches } from "../sessions.js";
import { errorBody } from "../views/schemas.js";
import { type Access, ApiError, type ApiRoute, mayAccess, type SignedInRequest } from "./api.js";
import type { ConsoleDeps } from "./deps.js";

/** The session cookie; `__Host-` (Secure, path /, no domain) whenever cookies are Secure. */
export function sessionCookieName(secure: boolean): string {
  return secure ? "__Host-circulate-console" : "circulate-console";
}

export const CSRF_HEADER = "x-csrf-token";

const API_VERSION = "0.1.0";

const PAGE_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

declare module "fastify" {
  /** What the guard needs of each route, kept on its config. */
  interface FastifyContextConfig {
    access?: Access;
  }
}

/** Status codes of a gRPC failure: a refusal is the caller's to fix (4xx), an outage is 503. */
function serviceFailure(err: ServiceCallError): ApiError {
  switch (err.code) {
    case grpcStatus.NOT_FOUND:
      return new ApiError(404, "not_found", err.detail);
    case grpcStatus.INVALID_ARGUMENT:
    case grpcStatus.OUT_OF_RANGE:
      return new ApiError(400, "bad_request", err.detail);
    case grpcStatus.FAILED_PRECONDITION:
    case grpcStatus.ALREADY_EXISTS:
    case grpcStatus.ABORTED:
      return new ApiError(409, "conflict", err.detail);
    case grpcStatus.UNAVAILABLE:
    case grpcStatus.DEADLINE_EXCEEDED:
      return new ApiError(503, "service_unavailable", `the ${err.service} service did not answer`);
    default:
      return new ApiError(502, "service_error", `the ${err.service} service failed`);
  }
}

/**
 * The console's HTTP API on Fastify: cookie sessions, CSRF and origin checks,
 * roles per route (403 with a JSON error), JSON schemas on every route and the
 * OpenAPI document generated from them at `GET /api/openapi.json`.
 */
export async function buildApp(deps: ConsoleDeps, routes: readonly ApiRoute[], logger: Logger): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    ...(deps.https ? { https: deps.https } : {}),
    bodyLimit: 64 * 1024,
    ...(deps.trustedProxies.length > 0 ? { trustProxy: deps.trustedProxies.join(",") } : {}),
    ajv: { customOptions: { removeAdditional: false, allErrors: false } },
  });
  const cookieName = sessionCookieName(deps.secureCookies);
  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Circulate staff console API",
        version: API_VERSION,
        description:
          "Staff accounts and sessions; patrons, fees, items, holds and loans through the circulation services; the console's audit trail. " +
          "Sign in with POST /api/session; every request other than GET must carry X-CSRF-Token (from the login answer or GET /api/session).",
      },
      components: {
        securitySchemes: {
          session: { type: "apiKey", in: "cookie", name: cookieName },
          csrf: { type: "apiKey", in: "header", name: "X-CSRF-Token" },
        },
      },
    },
  });

  app.setErrorHandler((err: unknown, req, reply) => {
    const failure =
      err instanceof ApiError
        ? err
        : err instanceof ServiceCallError
          ? serviceFailure(err)
          : (err as { validation?: unknown }).validation
            ? new ApiError(400, "bad_request", (err as Error).message)
            : (err as { statusCode?: number }).statusCode !== undefined && (err as { statusCode: number }).statusCode < 500
              ? new ApiError((err as { statusCode: number }).statusCode, "bad_request", (err as Error).message)
              : undefined;
    if (!failure) {
      req.log.error({ err }, "request failed");
      return reply.status(500).send({ error: "internal", message: "internal error" });
    }
    if (failure.status >= 500) req.log.warn({ err }, "request failed");
    return reply.status(failure.status).headers(failure.headers).send({ error: failure.error, message: failure.message });
  });

  // Patron data must not stay in a browser's or a proxy's cache, nor be read as anything but JSON.
  app.addHook("onSend", async (_req, reply, payload) => {
    reply.header("cache-control", "no-store");
    reply.header("x-content-type-options", "nosniff");
    // The page runs only its own scripts and styles, talks only to this origin, and is never framed.
    if (String(reply.getHeader("content-type") ?? "").startsWith("text/html")) {
      reply.header("content-security-policy", PAGE_POLICY);
      reply.header("x-frame-options", "DENY");
      reply.header("referrer-policy", "no-referrer");
    }
    return payload;
  });

  app.setNotFoundHandler((_req, reply) => reply.status(404).send({ error: "not_found", message: "no such route" }));

  /** A state-changing request from a page on another origin is refused (403), signed in or not. */
  const sameOrigin = (req: FastifyRequest): boolean => {
    const origin = req.headers.origin;
    if (origin === undefined) return true;
    return origin === `${req.protocol}://${req.host}` || deps.allowedOrigins.includes(origin);
  };

  const guard = async (req: FastifyRequest, reply: FastifyReply) => {
    const access = req.routeOptions.config.access ?? "administrator";
    const changes = req.method !== "GET" && req.method !== "HEAD";
    if (changes && !sameOrigin(req)) throw new ApiError(403, "forbidden_origin", "the request's Origin is not this console's");
    if (access === "public") return;
    const session = await deps.sessions.resolve(req.cookies[cookieName]);
    if (!session) {
      reply.clearCookie(cookieName, { path: "/" });
      throw new ApiError(401, "unauthenticated", "sign in first (POST /api/session)");
    }
    if (changes && !csrfMatches(session, req.headers[CSRF_HEADER])) throw new ApiError(403, "csrf", "missing or wrong X-CSRF-Token");
    if (!mayAccess(session.role, access)) throw new ApiError(403, "forbidden", `this needs the ${access} role; ${session.staff} is ${session.role}`);
    (req as unknown as SignedInRequest).staff = session;
  };

  const add = (scope: FastifyInstance, route: ApiRoute) => {
    const role = route.access === "public" ? "anyone" : route.access === "signed-in" ? "any signed-in staff member" : `role ${route.access} or above`;
    scope.route({
      method: route.method,
      url: route.url,
      config: { access: route.access },
      schema: {
        ...route.schema,
        summary: route.summary,
        description: `Who may: ${role}.`,
        tags: [...route.tags],
        ...(route.access === "public" ? {} : { security: route.method === "GET" ? [{ session: [] }] : [{ session: [], csrf: [] }] }),
        response: { ...route.schema.response, "4xx": errorBody, "5xx": errorBody },
      },
      preValidation: guard,
      handler: (req, reply) => route.handler(req as unknown as SignedInRequest, reply),
    });
  };
  for (const route of routes.filter((r) => !r.rawBody)) add(app, route);
  // Uploads: in a scope of their own, every content type (JSON too) is handed through unread, so the
  // guard runs before a byte is read and the handler streams the body wherever it goes.
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", (_req, _payload, done) => done(null));
    for (const route of routes.filter((r) => r.rawBody)) add(scope, route);
  });

  app.get("/api/openapi.json", { config: { access: "public" }, schema: { hide: true } }, async () => app.swagger());
  // The web console: its files at `/`, `/api` left to the routes above (a path under it that no
  // route has falls through to the JSON 404). The page routes in its URL's fragment, so no fallback.
  if (deps.webDir) await app.register(fastifyStatic, { root: deps.webDir, prefix: "/", index: "index.html", schemaHide: true });
  return app;
}
