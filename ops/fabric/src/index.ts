export { type FabricBinaries, findFabric } from "./binaries.js";
export {
  CHAINCODE,
  CHANNEL,
  type FabricNetwork,
  type NetworkOptions,
  type NetworkShape,
  repoRoot,
  startNetwork,
  startNetworkRetrying,
} from "./network.js";
export { stopProcess } from "./processes.js";
export { waitUntilServing } from "./ready.js";
