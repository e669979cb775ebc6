import { hashPassword } from "./app/passwords.js";

/**
 * `hash-password [password]`: prints the scrypt hash to put in the accounts
 * file. Reads the password from stdin when not given, so it stays out of the
 * shell history.
 */
async function main(): Promise<void> {
  let password = process.argv[2];
  if (password === undefined) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    password = Buffer.concat(chunks).toString("utf8").replace(/\r?\n$/, "");
  }
  if (!password) {
    process.stderr.write("usage: hash-password <password>   (or the password on stdin)\n");
    process.exit(2);
  }
  process.stdout.write(`${await hashPassword(password)}\n`);
}

await main();
