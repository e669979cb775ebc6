import { hashPassword, verifyPassword } from "@circulate/runtime";

/** Staff passwords are hashed as terminal passwords are (`scrypt$N$r$p$salt$hash`). */
export { hashPassword, verifyPassword };

/** Shortest staff password accepted. */
export const MIN_PASSWORD_LENGTH = 12;

/** A password a new or changed account may have; the problem otherwise. */
export function passwordProblem(password: string): string | undefined {
  if ([...password].length < MIN_PASSWORD_LENGTH) return `a password needs at least ${MIN_PASSWORD_LENGTH} characters`;
  return undefined;
}
