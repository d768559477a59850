/**
 * The chaincode's entry point (package.json `main`): `contracts` is the array of contract classes
 * that `fabric-chaincode-node` and the devpeer load, per the fabric-contract-api convention.
 */
import { LedgerContract } from "./ledger/ledger.contract.js";
import { OrgContract } from "./org/org.contract.js";
import { TokenContract } from "./token/token.contract.js";
import { VotingContract } from "./voting/voting.contract.js";

export * from "./api.js";
export { LedgerContract, OrgContract, TokenContract, VotingContract };

export const contracts = [OrgContract, LedgerContract, VotingContract, TokenContract];
