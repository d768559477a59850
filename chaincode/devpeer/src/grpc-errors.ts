import { Metadata, status } from "@grpc/grpc-js";
import { gateway, google } from "@hyperledger/fabric-protos";
import { Any } from "./well-known-types.js";

/** An error as grpc-js sends it: a status code, a message and trailing metadata. */
export interface RpcError {
  code: status;
  details: string;
  metadata: Metadata;
}

/** Where an error happened, as Fabric's gateway reports it in `gateway.ErrorDetail`. */
export interface ErrorSource {
  address: string;
  mspId: string;
}

/**
 * Builds a gRPC error the way Fabric's gateway does: the status code and message, plus
 * `grpc-status-details-bin` holding a google.rpc.Status whose details are `gateway.ErrorDetail`s,
 * which the fabric-gateway client exposes as `GatewayError.details`.
 */
export function rpcError(code: status, message: string, details: (ErrorSource & { message: string })[] = []): RpcError {
  const metadata = new Metadata();
  if (details.length > 0) {
    const rpcStatus = new google.rpc.Status();
    rpcStatus.setCode(code);
    rpcStatus.setMessage(message);
    rpcStatus.setDetailsList(
      details.map((detail) => {
        const errorDetail = new gateway.ErrorDetail();
        errorDetail.setAddress(detail.address);
        errorDetail.setMspId(detail.mspId);
        errorDetail.setMessage(detail.message);
        const any = new Any();
        any.setTypeUrl("type.googleapis.com/gateway.ErrorDetail");
        any.setValue(errorDetail.serializeBinary());
        return any as unknown as ReturnType<google.rpc.Status["getDetailsList"]>[number];
      }),
    );
    metadata.set("grpc-status-details-bin", Buffer.from(rpcStatus.serializeBinary()));
  }
  return { code, details: message, metadata };
}

export function isRpcError(value: unknown): value is RpcError {
  return typeof value === "object" && value !== null && "code" in value && "details" in value && "metadata" in value;
}
