export { eventStreamName, SERVICE_PORTS, type ServiceConfig, serviceConfig, serviceConfigFromEnv } from "./config.js";
export { ensureDatabase } from "./database.js";
export { type EventEncoder, protoJsonEncoder, relayMessage } from "./events.js";
export {
  type DeliveredEvent,
  type EventSubscription,
  type GrpcService,
  type RunningService,
  type ServiceContext,
  type ServiceDefinition,
  type ServiceParts,
  startService,
} from "./host.js";
export { DEFAULT_MAX_PROJECTION_LAG, type PeerProjections, ProjectionBehindError } from "./projections.js";
export { type ProjectionSpec, rebuildProjections } from "./rebuild.js";
export { runServiceMain, serviceMain } from "./main.js";
export { InvalidArgumentError, type PeerFailure, PeerUnavailableError } from "./errors.js";
export { type ExtraStatus, grpcStatusOf, unaryRpc } from "./grpc-server.js";
export { callPeer, orNotFound, peerDeadline, type UnaryMethod } from "./peers.js";
export {
  commandHandler,
  type ExtraRefusal,
  inCommitSpan,
  inDecideSpan,
  type PipelineContext,
  recordedOutcome,
  recordOutcome,
  refusalOf,
  storedOutcome,
} from "./pipeline.js";
export { DEFAULT_HISTORY_LIMIT, historyEntry, historyGrpc, historyQuery, MAX_HISTORY_LIMIT } from "./history/history.rpc.js";
export { type HistoryRow, type HistorySubject, listHistory } from "./history/history.repository.js";
export { DEFAULT_REFUSAL_RETENTION_DAYS, type Pruned, pruneRecords } from "./history/housekeeping.js";
export { type RefusalRecord, refusalRecord } from "./history/refusal.js";
export { grpcCredentials } from "@circulate/commandbus";
