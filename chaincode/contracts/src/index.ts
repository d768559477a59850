/**
 * The chaincode's entry point (package.json `main`): `contracts` is the array of contract classes
 * that `fabric-chaincode-node` and the devpeer load, per the fabric-contract-api convention.
 */
export * from "./api.js";

export const contracts: Array<new () => object> = [];
