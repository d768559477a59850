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

const transientGrpcCodes = new Set<number>([
  1, // CANCELLED (a stream cut by a restarting peer)
  GrpcStatus.DEADLINE_EXCEEDED,
  GrpcStatus.RESOURCE_EXHAUSTED,
  GrpcStatus.ABORTED,
  13, // INTERNAL
  GrpcStatus.UNAVAILABLE,
]);

const codedMessage = /(?:^|[\s,:(])([A-Z][A-Z_]{2,}): (.*)$/s;

function messagesOf(error: unknown): string[] {
  const messages: string[] = [];
  if (error instanceof GatewayError) messages.push(...error.details.map((d) => d.message));
  if (error instanceof Error) messages.push(error.message);
  return messages;
}

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
 * (transport trouble: retry), `TransactionRejectedError` (passed through), or an `AppError`
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
