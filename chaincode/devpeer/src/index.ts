export {
  ATTRS_EXTENSION_OID,
  type CertificateAuthority,
  createCertificateAuthority,
  IdentityRole,
  type IssuedIdentity,
  issueIdentity,
  type NodeRole,
} from "./ca.js";
export {
  ALL_RUNTIME_PATCHES,
  ChaincodeLogLevel,
  type ChaincodeRuntimePatches,
  type ContractClass,
  chaincodeRuntimePatches,
  NO_RUNTIME_PATCHES,
  setChaincodeLogLevel,
} from "./chaincode-host.js";
export { DEFAULT_DATA_DIR } from "./config.js";
export {
  type ConnectionProfile,
  createDevpeer,
  type Devpeer,
  type DevpeerLogger,
  type DevpeerOptions,
} from "./devpeer.js";
export { TxCode } from "./transaction.js";
export type { ChainVerification } from "./verify.js";
export { verifyChainFiles } from "./verify.js";
