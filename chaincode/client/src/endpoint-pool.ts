import { readFileSync } from "node:fs";
import * as grpc from "@grpc/grpc-js";
import type { ConnectionProfile } from "./connection-profile.js";

/** gRPC status codes the pool reacts to. */
export const GrpcStatus = {
  UNKNOWN: 2,
  DEADLINE_EXCEEDED: 4,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  RESOURCE_EXHAUSTED: 8,
  UNAVAILABLE: 14,
} as const;

/**
 * The receive window of each peer connection (HTTP/2 connection and stream windows), 8 MiB: what the
 * peer may send before this process has read it. gRPC's C core grows its windows to that order by
 * BDP probing; grpc-js keeps HTTP/2's 64 KiB unless told (decision 0208).
 */
export const FLOW_CONTROL_WINDOW_BYTES = 8 * 1024 * 1024;

/** One gRPC connection per peer endpoint, shared by every identity that talks through it. */
export interface EndpointPool {
  /** The connection in use and its address. */
  current(): { client: grpc.Client; address: string };
  /**
   * Runs `operation` on the current endpoint; when it fails with UNAVAILABLE (or what `failOver` accepts),
   * moves to the next endpoint and tries again, once per endpoint. Other errors are rethrown as they are.
   */
  withFailover<T>(operation: (client: grpc.Client) => Promise<T>): Promise<T>;
  /** Moves to the next endpoint if `address` is still the current one (a stream on it broke). */
  failedOver(address: string): void;
  dispose(): void;
}

function credentialsFor(profile: ConnectionProfile): grpc.ChannelCredentials {
  if (!profile.tls) return grpc.credentials.createInsecure();
  const root = readFileSync(profile.tlsRootCertPath ?? "");
  if (!profile.tlsClient) return grpc.credentials.createSsl(root);
  return grpc.credentials.createSsl(
    root,
    readFileSync(profile.tlsClient.keyPath),
    readFileSync(profile.tlsClient.certPath),
  );
}

/** Reads the status code from a gRPC or fabric-gateway error, if it has one. */
export function grpcCode(error: unknown): number | undefined {
  if (typeof error === "object" && error !== null && "code" in error && typeof error.code === "number") {
    return error.code;
  }
  return undefined;
}

const isUnavailable = (error: unknown) => grpcCode(error) === GrpcStatus.UNAVAILABLE;

/**
 * Creates lazily connecting gRPC clients for every endpoint of the profile. `failOver` decides which
 * errors move to the next endpoint (default: every UNAVAILABLE).
 */
export function createEndpointPool(
  profile: ConnectionProfile,
  { failOver = isUnavailable }: { failOver?: (error: unknown) => boolean } = {},
): EndpointPool {
  const credentials = credentialsFor(profile);
  const clients: (grpc.Client | undefined)[] = profile.endpoints.map(() => undefined);
  let index = 0;

  const clientAt = (i: number): grpc.Client => {
    const existing = clients[i];
    if (existing) return existing;
    const endpoint = profile.endpoints[i]!;
    const client = new grpc.Client(endpoint.address, credentials, channelOptions(endpoint));
    clients[i] = client;
    return client;
  };

  return {
    current: () => ({ client: clientAt(index), address: profile.endpoints[index]!.address }),
    async withFailover<T>(operation: (client: grpc.Client) => Promise<T>): Promise<T> {
      let lastError: unknown;
      for (let attempt = 0; attempt < profile.endpoints.length; attempt++) {
        const used = index;
        try {
          return await operation(clientAt(used));
        } catch (error) {
          if (!failOver(error)) throw error;
          lastError = error;
          // Another caller may already have moved on; only advance from the endpoint that failed.
          if (index === used) index = (used + 1) % profile.endpoints.length;
        }
      }
      throw lastError;
    },
    failedOver(address) {
      if (profile.endpoints[index]?.address === address) index = (index + 1) % profile.endpoints.length;
    },
    dispose() {
      for (const client of clients) client?.close();
      clients.fill(undefined);
    },
  };
}

/** The channel options of the connection to `endpoint`. */
function channelOptions(endpoint: { tlsHostnameOverride?: string | undefined }): grpc.ChannelOptions {
  return {
    // Event streams stay open for hours; keepalive notices a dead peer instead of waiting forever.
    "grpc.keepalive_time_ms": 30_000,
    "grpc.keepalive_timeout_ms": 10_000,
    "grpc.max_receive_message_length": 100 * 1024 * 1024,
    // channelz keeps per-call statistics (channel, subchannel, socket) that nothing here reads.
    "grpc.enable_channelz": 0,
    // HTTP/2's default receive window (64 KiB for the whole connection) holds ~18 prepared
    // transactions: with hundreds of calls in flight the peer then waits for a WINDOW_UPDATE round
    // trip through both event loops before it may answer the next one (decision 0208).
    "grpc-node.flow_control_window": FLOW_CONTROL_WINDOW_BYTES,
    ...(endpoint.tlsHostnameOverride ? { "grpc.ssl_target_name_override": endpoint.tlsHostnameOverride } : {}),
  };
}
