import type { FastifyReply, FastifyRequest, FastifySchema, HTTPMethods } from "fastify";
import type { Role } from "../db.js";
import type { Session } from "../sessions.js";

/**
 * Who may call a route: anyone (`public`: login, the OpenAPI document), any
 * signed-in staff member, or a role and those above it.
 */
export type Access = "public" | "signed-in" | Role;

/** Roles in order: each may do what the ones before it may. */
export const ROLE_RANK: Readonly<Record<Role, number>> = { viewer: 1, circulation: 2, administrator: 3 };

export function mayAccess(role: Role, access: Access): boolean {
  if (access === "public" || access === "signed-in") return true;
  return ROLE_RANK[role] >= ROLE_RANK[access];
}

/** A request that passed the guard of a route that needs a session. */
export type SignedInRequest = FastifyRequest & { staff: Session };

/**
 * One route of the API. `access` is required, so a route cannot exist without
 * a rule; the route table's test sends every route as every role.
 */
export interface ApiRoute {
  readonly method: Extract<HTTPMethods, "GET" | "POST" | "PATCH" | "DELETE">;
  readonly url: string;
  readonly access: Access;
  readonly summary: string;
  readonly tags: readonly string[];
  readonly schema: Omit<FastifySchema, "response"> & { response: Record<number, unknown> };
  /** The body is not parsed: the handler reads it as a stream from `req.raw` (an upload of any type and size). */
  readonly rawBody?: boolean;
  readonly handler: (req: SignedInRequest, reply: FastifyReply) => Promise<unknown>;
}

/** An answer other than success, with the JSON error body every route declares. */
export class ApiError extends Error {
  override readonly name = "ApiError";
  constructor(
    readonly status: number,
    readonly error: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new ApiError(404, "not_found", `${what} not found`);
