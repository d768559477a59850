import type { ServiceDefinition } from "@grpc/grpc-js";
import { gateway, peer } from "@hyperledger/fabric-protos";

/** What a google-protobuf message class offers to (de)serialize itself. */
interface MessageClass {
  deserializeBinary(bytes: Uint8Array): unknown;
}

/**
 * The generated service definitions of @hyperledger/fabric-protos copy every message twice on its way
 * through the server: a request with `new Uint8Array(buffer)` before decoding it, a response with
 * `Buffer.from(bytes)` after encoding it. Neither copy is needed: google-protobuf decodes straight from
 * a Buffer (its bytes fields are views of it, and grpc-js hands each message its own buffer), and grpc-js
 * writes a Buffer that views the encoded bytes. This keeps paths, streaming flags and types, and swaps
 * only those two functions of each method.
 */
function withoutCopies<T extends ServiceDefinition>(service: T): T {
  const methods = Object.entries(service).map(([name, method]) => {
    const requestType = (method as { requestType?: MessageClass }).requestType;
    return [
      name,
      {
        ...method,
        requestDeserialize: requestType
          ? (buffer: Buffer) => requestType.deserializeBinary(buffer)
          : method.requestDeserialize,
        responseSerialize: (message: { serializeBinary(): Uint8Array }) => {
          const bytes = message.serializeBinary();
          return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        },
      },
    ];
  });
  return Object.fromEntries(methods) as T;
}

/** `gateway.Gateway`, as @hyperledger/fabric-protos defines it, without the per-message copies. */
export const GatewayService = withoutCopies(gateway.GatewayService);

/** `protos.Deliver`, as @hyperledger/fabric-protos defines it, without the per-message copies. */
export const DeliverService = withoutCopies(peer.DeliverService);
