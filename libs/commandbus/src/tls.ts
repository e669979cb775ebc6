import { readFileSync } from "node:fs";
import type { GrpcTlsFiles } from "@circulate/runtime";
import * as grpc from "@grpc/grpc-js";


/** gRPC credentials of one process: what its servers accept and how its clients connect. */
export interface GrpcCredentials {
  server(): grpc.ServerCredentials;
  client(): grpc.ChannelCredentials;
}

/** Plain text (no TLS configured), or mutual TLS from the files, read once now. */
export function grpcCredentials(files: GrpcTlsFiles | undefined): GrpcCredentials {
  if (files === undefined) {
    return { server: () => grpc.ServerCredentials.createInsecure(), client: () => grpc.credentials.createInsecure() };
  }
  const ca = readFileSync(files.caFile);
  const cert = readFileSync(files.certFile);
  const key = readFileSync(files.keyFile);
  const clientCert = files.clientCertFile ? readFileSync(files.clientCertFile) : cert;
  const clientKey = files.clientKeyFile ? readFileSync(files.clientKeyFile) : key;
  return {
    // true: a peer without a certificate signed by the CA is refused at the handshake.
    server: () => grpc.ServerCredentials.createSsl(ca, [{ cert_chain: cert, private_key: key }], true),
    client: () => grpc.credentials.createSsl(ca, clientKey, clientCert),
  };
}
