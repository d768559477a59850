/** Names, identity attributes and error codes shared by the chaincode and its clients. */

export const CHANNEL_NAME = "clearbook";
export const CHAINCODE_NAME = "clearbook";
export const MSP_ID = "ClearbookMSP";

/** Fabric CA–style certificate attributes (extension OID 1.2.3.4.5.6.7.8.1). */
export const IdentityAttribute = {
  USER_ID: "clearbook.userId",
  ROLE: "clearbook.role",
} as const;
export const IDENTITY_ATTRIBUTE_OID = "1.2.3.4.5.6.7.8.1";

export const IdentityRole = { ADMIN: "admin", USER: "user", SERVICE: "service" } as const;
export type IdentityRole = (typeof IdentityRole)[keyof typeof IdentityRole];

/** The closed set of error code prefixes a chaincode error message starts with. */
export const ChainErrorCode = {
  UNAUTHENTICATED: "UNAUTHENTICATED",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  BAD_USER_INPUT: "BAD_USER_INPUT",
  CONFLICT: "CONFLICT",
  INSUFFICIENT_FUNDS: "INSUFFICIENT_FUNDS",
  BALLOT_CLOSED: "BALLOT_CLOSED",
  BALLOT_OPEN: "BALLOT_OPEN",
  ALREADY_FINALIZED: "ALREADY_FINALIZED",
  NOT_ELIGIBLE: "NOT_ELIGIBLE",
  ALREADY_USED: "ALREADY_USED",
} as const;
export type ChainErrorCode = (typeof ChainErrorCode)[keyof typeof ChainErrorCode];

const chainErrorCodes = new Set<string>(Object.values(ChainErrorCode));

/**
 * Splits a chaincode error message (as relayed by a peer, possibly wrapped in other text) into
 * its code and human message. Returns null when the message carries no known code.
 */
export function parseChainError(message: string): { code: ChainErrorCode; message: string } | null {
  const match = /\b([A-Z_]+): (.*)$/s.exec(message);
  if (!match || !chainErrorCodes.has(match[1] ?? "")) return null;
  return { code: match[1] as ChainErrorCode, message: match[2] ?? "" };
}
