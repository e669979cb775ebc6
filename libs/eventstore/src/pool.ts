import pg from "pg";

/** Options of {@link createPool}. */
export interface PoolOptions {
  connectionString: string;
  /** Most connections. Default 10. */
  max?: number;
  /** Give up opening a connection after this long (default 5 s): a query fails rather than hangs. */
  connectionTimeoutMillis?: number;
  /** A connection failed outside any query (its server session ended). Default: ignored. */
  onError?: (error: Error) => void;
}

/**
 * A `pg.Pool` that survives a Postgres restart or failover. The pool's own 'error' event covers
 * idle connections only: a connection that is checked out — say by a Kysely transaction waiting
 * on a gRPC call between two statements — has no listener, so a terminated session (57P01,
 * "Connection terminated unexpectedly") would be an unhandled 'error' event and end the process.
 * Every connection gets a listener of its own; the query in hand then fails, the transaction
 * rolls back, and the pool drops the dead connection when it comes back and opens new ones on
 * demand once the server accepts them again.
 */
export function createPool(options: PoolOptions): pg.Pool {
  const onError = options.onError ?? (() => {});
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMillis ?? 5_000,
  });
  pool.on("error", onError);
  pool.on("connect", (client) => client.on("error", onError));
  return pool;
}
