export { ReplyClient, type ReplySinkServer, startReplySink } from "./reply-sink.js";
export { natsConnectOptions } from "./nats-security.js";
export { type GrpcCredentials, grpcCredentials } from "./tls.js";
export {
  type CasesOf,
  type CommandHandler,
  type CommandHandlers,
  type CommandServer,
  pingService,
  pingSubject,
  publishCommand,
  type ServeCommandsOptions,
  serveCommands,
} from "./serve.js";
