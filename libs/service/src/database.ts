import pg from "pg";

/**
 * Creates the database named in `url` when it does not exist yet, connecting
 * to the server's `postgres` database to do so. Racing replicas are fine: a
 * duplicate CREATE fails with 42P04 and is ignored.
 */
export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!name) throw new Error(`no database name in ${target.protocol}//${target.host}`);
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  // A session that ends between statements fails the next one; unheard, it would end the process.
  client.on("error", () => {});
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (rowCount === 0) {
      await client.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`).catch((err: { code?: string }) => {
        if (err.code !== "42P04") throw err;
      });
    }
  } finally {
    await client.end();
  }
}
