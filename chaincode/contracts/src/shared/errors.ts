import { ChainErrorCode } from "../api/protocol.js";

/**
 * A refusal with a stable code. fabric-contract-api returns `error.message` to the peer, so the
 * message starts with `<CODE>: ` and the client reads the code back with `parseChainError`.
 */
export class ChainError extends Error {
  override readonly name = "ChainError";
  constructor(
    readonly code: ChainErrorCode,
    detail: string,
  ) {
    super(`${code}: ${detail}`);
  }
}

/** Factories that stamp the code, so call sites never spell one. */
export const fail = {
  unauthenticated: (detail: string) => new ChainError(ChainErrorCode.UNAUTHENTICATED, detail),
  forbidden: (detail: string) => new ChainError(ChainErrorCode.FORBIDDEN, detail),
  notFound: (what: string, id: string) => new ChainError(ChainErrorCode.NOT_FOUND, `${what} ${id} does not exist`),
  badInput: (field: string, detail: string) => new ChainError(ChainErrorCode.BAD_USER_INPUT, `${field}: ${detail}`),
  conflict: (detail: string) => new ChainError(ChainErrorCode.CONFLICT, detail),
  insufficientFunds: (address: string, balance: bigint, amount: bigint) =>
    new ChainError(ChainErrorCode.INSUFFICIENT_FUNDS, `account ${address} holds ${balance}, needs ${amount}`),
  ballotClosed: (ballotId: string) => new ChainError(ChainErrorCode.BALLOT_CLOSED, `ballot ${ballotId} is closed`),
  ballotOpen: (ballotId: string) =>
    new ChainError(ChainErrorCode.BALLOT_OPEN, `ballot ${ballotId} is open and its outcome is not decided yet`),
  alreadyFinalized: (ballotId: string) =>
    new ChainError(ChainErrorCode.ALREADY_FINALIZED, `ballot ${ballotId} is already finalized`),
  notEligible: (ballotId: string, userId: string) =>
    new ChainError(ChainErrorCode.NOT_ELIGIBLE, `user ${userId} was not a member when ballot ${ballotId} opened`),
  alreadyUsed: (what: string, id: string) =>
    new ChainError(ChainErrorCode.ALREADY_USED, `${what} ${id} is already used`),
} as const;
