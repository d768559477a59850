import * as protos from "@hyperledger/fabric-protos";

/** Proto package of each namespace that @hyperledger/fabric-protos exports. */
const PACKAGES: [string, object][] = [
  ["common", protos.common],
  ["protos", protos.peer],
  ["lifecycle", protos.peer.lifecycle],
  ["gateway", protos.gateway],
  ["orderer", protos.orderer],
  ["msp", protos.msp],
  ["rwset", protos.ledger.rwset],
  ["kvrwset", protos.ledger.rwset.kvrwset],
  ["queryresult", protos.ledger.queryresult],
  ["discovery", protos.discovery],
  ["gossip", protos.gossip],
  ["google.rpc", protos.google.rpc],
];

/**
 * fabric-shim depends on @hyperledger/fabric-protos 0.2 while the gateway client and the devpeer use
 * 0.3. Both are google-protobuf generated code: every message class registers in one global `proto`
 * namespace, and nested messages are (de)serialized through that namespace at call time. Whichever copy
 * loads last therefore serves the nested messages of both, and 0.2 lacks fields 0.3 writes
 * (e.g. MetadataSignature.identifier_header). Call this after fabric-shim has loaded: it points the
 * namespace back at the 0.3 classes, a wire-compatible superset, so both copies encode alike.
 */
export function preferCurrentProtobufClasses(): void {
  const root = (globalThis as { proto?: Record<string, unknown> }).proto;
  if (!root) return;
  for (const [path, namespace] of PACKAGES) {
    let target: Record<string, unknown> | undefined = root;
    for (const part of path.split(".")) target = target?.[part] as Record<string, unknown> | undefined;
    if (!target) continue;
    for (const [name, value] of Object.entries(namespace)) {
      if (typeof value === "function" && "deserializeBinary" in value && name in target) target[name] = value;
    }
  }
}
