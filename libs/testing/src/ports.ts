import { createServer } from "node:net";

/**
 * A free TCP port on 127.0.0.1. Peers must often be known before the servers
 * start, so the ports are chosen first and bound a moment later; another
 * process taking one in between makes the start fail loudly, never silently.
 */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
