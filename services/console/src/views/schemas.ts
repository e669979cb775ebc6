/**
 * JSON schemas shared by the routes. Fastify validates requests against them
 * and serialises responses through them, so a field not named here (a hash,
 * anything a service adds later) never reaches a response; the OpenAPI
 * document is generated from the same objects.
 */

export const str = { type: "string" } as const;
export const int = { type: "integer" } as const;
export const bool = { type: "boolean" } as const;
/** An instant (ISO 8601), or null when unset. */
export const instant = { type: ["string", "null"], format: "date-time" } as const;

export function object<P extends Record<string, unknown>>(properties: P, optional: readonly (keyof P & string)[] = []) {
  return {
    type: "object",
    additionalProperties: false,
    properties,
    required: Object.keys(properties).filter((k) => !optional.includes(k)),
  } as const;
}

export function nullable<S extends Record<string, unknown>>(schema: S) {
  return { anyOf: [schema, { type: "null" }] } as const;
}

export const money = object({ currency: str, amountMinor: int });
export const ref = object({ institution: str, barcode: str });

export const errorBody = object({ error: str, message: str });

/** Institution and barcode of a patron or an item, as path parameters. */
export const refParams = object({
  institution: { type: "string", minLength: 1, maxLength: 64 },
  barcode: { type: "string", minLength: 1, maxLength: 128 },
});

export const ROLE_VALUES = ["viewer", "circulation", "administrator"] as const;
export const role = { type: "string", enum: ROLE_VALUES } as const;

export const me = object({ name: str, role, csrfToken: str });
