import { createHash } from "node:crypto";
import { tarGz } from "./tar.js";

export interface CcaasPackageOptions {
  /** `<name>_<version>`, e.g. clearbook_0.1.0. */
  label: string;
  /** host:port where the peer dials the chaincode server. */
  address: string;
  dialTimeout?: string;
  tlsRequired?: boolean;
}

export interface CcaasPackage {
  label: string;
  /** What the peer reports on install and the chaincode server must be started with (CHAINCODE_ID). */
  packageId: string;
  tgz: Buffer;
  metadata: { type: "ccaas"; label: string };
  connection: { address: string; dial_timeout: string; tls_required: boolean };
}

/**
 * Builds the chaincode-as-a-service package a Fabric peer installs: a tgz of `metadata.json`
 * and `code.tar.gz` holding `connection.json`. The package id is `<label>:<sha256 of the tgz>`.
 */
export function buildCcaasPackage(options: CcaasPackageOptions): CcaasPackage {
  const metadata = { type: "ccaas" as const, label: options.label };
  const connection = {
    address: options.address,
    dial_timeout: options.dialTimeout ?? "10s",
    tls_required: options.tlsRequired ?? false,
  };
  const json = (value: unknown) => Buffer.from(`${JSON.stringify(value, null, 2)}\n`, "utf8");
  const code = tarGz([{ name: "connection.json", content: json(connection) }]);
  const tgz = tarGz([
    { name: "metadata.json", content: json(metadata) },
    { name: "code.tar.gz", content: code },
  ]);
  const packageId = `${options.label}:${createHash("sha256").update(tgz).digest("hex")}`;
  return { label: options.label, packageId, tgz, metadata, connection };
}
