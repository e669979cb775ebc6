import type { Writable } from "node:stream";
import PinoPretty from "pino-pretty";

/**
 * The processes log JSON (pino). On a terminal each line is made readable;
 * otherwise the JSON goes through untouched, for a log shipper to read.
 */
export function logSink(pretty: boolean): Writable {
  if (!pretty) return process.stdout;
  return PinoPretty({
    colorize: true,
    translateTime: "SYS:HH:MM:ss.l",
    ignore: "pid,hostname",
    messageFormat: "{service} {msg}",
    destination: 1,
    sync: true,
  });
}
