import type { ChainErrorCode } from "@clearbook/contracts";
import { AppError, ErrorCode } from "@clearbook/kit";
import { GatewayError } from "@hyperledger/fabric-gateway";
import { GrpcStatus, grpcCode } from "./endpoint-pool.js";

/**
 * The stable `CODE:` prefixes the chaincode puts on its error messages, and the GraphQL error code
 * each one becomes. A chaincode error with one of these is a business outcome: final, never retried.
 */
export const chainErrorCodes = {
  UNAUTHENTICATED: ErrorCode.UNAUTHENTICATED,
  FORBIDDEN: ErrorCode.FORBIDDEN,
  NOT_FOUND: ErrorCode.NOT_FOUND,
  BAD_USER_INPUT: ErrorCode.BAD_USER_INPUT,
  CONFLICT: ErrorCode.CONFLICT,
  INSUFFICIENT_FUNDS: ErrorCode.INSUFFICIENT_FUNDS,
  BALLOT_CLOSED: ErrorCode.BALLOT_CLOSED,
  // Finalizing a ballot that is still open: the caller is early, not wrong.
  BALLOT_OPEN: ErrorCode.CONFLICT,
  ALREADY_FINALIZED: ErrorCode.CONFLICT,
  ALREADY_USED: ErrorCode.CONFLICT,
  NOT_ELIGIBLE: ErrorCode.FORBIDDEN,
} as const satisfies Record<ChainErrorCode, ErrorCode>;

function isChainErrorCode(value: string): value is ChainErrorCode {
  return Object.hasOwn(chainErrorCodes, value);
}

/** Transaction validation codes of interest (protos.TxValidationCode). */
export const ValidationCode = {
  VALID: 0,
  BAD_PAYLOAD: 2,
  BAD_CREATOR_SIGNATURE: 4,
  DUPLICATE_TXID: 9,
  ENDORSEMENT_POLICY_FAILURE: 10,
  MVCC_READ_CONFLICT: 11,
  PHANTOM_READ_CONFLICT: 12,
} as const;

/** A transaction that reached a block but was marked invalid there. Final for that transaction id. */
export class TransactionRejectedError extends Error {
  override readonly name = "TransactionRejectedError";
  constructor(
    readonly transactionId: string,
    readonly validationCode: number,
    readonly validationName: string,
    readonly blockNumber: bigint,
  ) {
    super(`transaction ${transactionId} was rejected in block ${blockNumber}: ${validationName}`);
  }
  /** MVCC and phantom read conflicts go away with a fresh proposal on the newer state. */
  get isReadConflict(): boolean {
    return (
      this.validationCode === ValidationCode.MVCC_READ_CONFLICT ||
      this.validationCode === ValidationCode.PHANTOM_READ_CONFLICT
    );
  }
}

/** The peer or orderer could not be reached or did not answer in time: worth retrying later. */
export class ChainUnavailableError extends Error {
  override readonly name = "ChainUnavailableError";
  constructor(
    message: string,
    readonly grpcCode: number | undefined,
    options?: { cause: unknown },
  ) {
    super(message, options);
  }
}

/**
 * A peer over its gateway concurrency limit (`peer.limits.concurrency.gatewayService`, 500 by default)
 * refuses the call before doing anything with it, as a bare UNKNOWN: "too many requests for
 * /gateway.Gateway, exceeding concurrency limit (500)". Back-pressure, so the same call can be sent again.
 */
const concurrencyLimit = /too many requests for \S+, exceeding concurrency limit/i;

/** True for a call the peer refused because too many were in flight (safe to send again, after a pause). */
export function isBackPressure(error: unknown): boolean {
  return messagesOf(error).some((m) => concurrencyLimit.test(m));
}

/**
 * Answers that mean the connection profile does not fit the network: a channel the peer has not joined
 * (Fabric: UNAVAILABLE "failed to get config for channel [c]" on Evaluate/Endorse/Submit, PERMISSION_DENIED
 * "… policy manager for channel [c]" on CommitStatus and ChaincodeEvents) or a chaincode not committed on it
 * (FAILED_PRECONDITION "no peers available to evaluate chaincode …", "no combination of peers can be
 * derived which satisfy the endorsement policy …"). No retry and no other peer fixes these.
 */
const misconfiguration: ReadonlyArray<[RegExp, (match: RegExpExecArray) => string]> = [
  [/failed to get config for channel \[?([^\]\s:]+)/, (m) => `channel '${m[1]}'`],
  [/policy manager for channel \[?([^\]\s:]+)/i, (m) => `channel '${m[1]}'`],
  [/chaincode (\S+) in channel (\S+)/, (m) => `chaincode '${m[1]}' on channel '${m[2]}'`],
  [/no combination of peers can be derived which satisfy the endorsement policy/, () => "chaincode"],
];

/**
 * Re-endorsing a proposal whose transaction id is already on the ledger: the endorser answers
 * "duplicate transaction found [txid]" (ABORTED through the gateway). No retry can succeed; the
 * committed transaction holds the answer.
 */
export function isDuplicateTransaction(error: unknown): boolean {
  return messagesOf(error).some((m) => /duplicate transaction found/i.test(m));
}

/** The chain code (`details.chainCode`) of a configuration error. */
export const CHAIN_MISCONFIGURED = "CHAIN_MISCONFIGURED";

/** When the error says the profile names a channel or chaincode the peer does not have: which (`channel 'x'`). */
export function findMisconfiguration(error: unknown): string | undefined {
  for (const text of messagesOf(error)) {
    for (const [pattern, describe] of misconfiguration) {
      const match = pattern.exec(text);
      if (match) return describe(match);
    }
  }
  return undefined;
}

const transientGrpcCodes = new Set<number>([
  1, // CANCELLED (a stream cut by a restarting peer)
  GrpcStatus.DEADLINE_EXCEEDED,
  GrpcStatus.RESOURCE_EXHAUSTED,
  GrpcStatus.ABORTED,
  13, // INTERNAL
  GrpcStatus.UNAVAILABLE,
]);

function messagesOf(error: unknown): string[] {
  const messages: string[] = [];
  if (error instanceof GatewayError) messages.push(...error.details.map((d) => d.message));
  if (error instanceof Error) messages.push(error.message);
  return messages;
}

const codedMessage = /(?:^|[\s,:(])([A-Z][A-Z_]{2,}): (.*)$/s;

/** Finds the chaincode's `CODE: message` in an error from the gateway, if there is one. */
export function findChainErrorCode(error: unknown): { code: ChainErrorCode; message: string } | undefined {
  for (const text of messagesOf(error)) {
    let rest = text;
    // A message can carry several prefixes ("10 ABORTED: … chaincode response 500, NOT_FOUND: …"): take the known one.
    for (let match = codedMessage.exec(rest); match; match = codedMessage.exec(rest)) {
      const [, code, message] = match;
      if (code && isChainErrorCode(code)) return { code, message: (message ?? "").trim() };
      rest = message ?? "";
    }
  }
  return undefined;
}

/**
 * Turns anything thrown by an evaluate, endorse, submit or commit-status call into one of:
 * `AppError` (a coded chaincode error, or access denied: final), `ChainUnavailableError`
 * (transport trouble or the peer's back-pressure: retry), `TransactionRejectedError` (passed through),
 * an `AppError` INTERNAL_SERVER_ERROR with `chainCode` CHAIN_MISCONFIGURED when the profile names a channel
 * or chaincode the peer does not serve (final: an operator must fix it), or an `AppError`
 * INTERNAL_SERVER_ERROR for anything else (a chaincode bug: final).
 */
export function toChainError(error: unknown, transactionId?: string): Error {
  if (error instanceof TransactionRejectedError || error instanceof ChainUnavailableError) return error;
  if (error instanceof AppError) return error;
  const coded = findChainErrorCode(error);
  const details = transactionId ? { transactionId } : {};
  if (coded) {
    return new AppError(chainErrorCodes[coded.code], coded.message, { chainCode: coded.code, ...details });
  }
  const code = grpcCode(error);
  const message = error instanceof Error ? error.message : String(error);
  if (isBackPressure(error)) return new ChainUnavailableError(message, code, { cause: error });
  const misconfigured = findMisconfiguration(error);
  if (misconfigured) {
    return new AppError(
      ErrorCode.INTERNAL_SERVER_ERROR,
      `The chain connection is misconfigured: the peer does not serve ${misconfigured}.`,
      { chainCode: CHAIN_MISCONFIGURED, cause: message, ...details },
    );
  }
  // The gateway wraps endorser failures in ABORTED and puts the endorser's reason in the details.
  const reasons = error instanceof GatewayError ? error.details.map((d) => d.message) : [];
  if (code === GrpcStatus.FAILED_PRECONDITION || reasons.some((r) => /access denied/i.test(r))) {
    return new AppError(ErrorCode.FORBIDDEN, "The peer refused this identity.", {
      chainCode: "ACCESS_DENIED",
      ...details,
    });
  }
  if (reasons.some((r) => r.startsWith("chaincode response"))) {
    // The chaincode ran and failed without a known code: a bug, and running it again will not help.
    return new AppError(ErrorCode.INTERNAL_SERVER_ERROR, "The chaincode failed.", {
      cause: reasons.join("; "),
      ...details,
    });
  }
  if (code !== undefined && transientGrpcCodes.has(code)) {
    return new ChainUnavailableError(message, code, { cause: error });
  }
  return new AppError(ErrorCode.INTERNAL_SERVER_ERROR, "The chaincode failed.", { cause: message, ...details });
}

/** True when trying the same thing again later may succeed (transport trouble, read conflicts). */
export function isRetryable(error: unknown): boolean {
  if (error instanceof ChainUnavailableError) return true;
  if (error instanceof TransactionRejectedError) return error.isReadConflict;
  return false;
}
