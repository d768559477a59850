import { GraphQLError, type GraphQLFormattedError } from "graphql";

/**
 * The closed vocabulary of error codes a client can see in `extensions.code`.
 * Every error that leaves a service carries one of these.
 */
export const ErrorCode = {
  UNAUTHENTICATED: "UNAUTHENTICATED",
  FORBIDDEN: "FORBIDDEN",
  BAD_USER_INPUT: "BAD_USER_INPUT",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  INSUFFICIENT_FUNDS: "INSUFFICIENT_FUNDS",
  SOLD_OUT: "SOLD_OUT",
  BALLOT_CLOSED: "BALLOT_CLOSED",
  ALREADY_VOTED: "ALREADY_VOTED",
  RATE_LIMITED: "RATE_LIMITED",
  PERSISTED_QUERY_NOT_FOUND: "PERSISTED_QUERY_NOT_FOUND",
  PERSISTED_QUERY_REQUIRED: "PERSISTED_QUERY_REQUIRED",
  INTERNAL_SERVER_ERROR: "INTERNAL_SERVER_ERROR",
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** What each code tells a client: its meaning, the HTTP status it comes with, and whether to retry. */
export interface ErrorCodeDoc {
  meaning: string;
  /** The HTTP status of the response that carries it, and when. */
  http: string;
  retry: string;
}

/** The documentation of every code; the API reference's error catalog is generated from it. */
export const errorCatalog: Record<ErrorCode, ErrorCodeDoc> = {
  UNAUTHENTICATED: {
    meaning: "No valid credentials: missing, expired or revoked access token, wrong password, unknown API key.",
    http: "401 when refused before execution (bad token or key); 200 with the error when a field requires sign-in.",
    retry: "After refreshing the session (`refreshSession`) or logging in again; never as is.",
  },
  FORBIDDEN: {
    meaning:
      "Signed in, but not allowed: not a member or council of the organization, or an API key without the scope.",
    http: "200, with the error on the field.",
    retry: "No.",
  },
  BAD_USER_INPUT: {
    meaning: "An argument or input field breaks a rule; `extensions.field` names it. Nothing changed.",
    http: "400 when the request itself is malformed (body not JSON, too large: 413); 200 when a field's input is invalid.",
    retry: "Only with corrected input.",
  },
  NOT_FOUND: {
    meaning: "The object named by an id does not exist (or not visible to you).",
    http: "200, with the error on the field.",
    retry: "No.",
  },
  CONFLICT: {
    meaning:
      "The object's state forbids the write now: already decided, already a member, another write waiting for the chain.",
    http: "200, with the error on the field.",
    retry: "Re-read the object first; some conflicts clear once the pending transaction commits.",
  },
  INSUFFICIENT_FUNDS: {
    meaning: "The treasury (or wallet) holds less than the amount.",
    http: "200, with the error on the field.",
    retry: "Not until the balance grows.",
  },
  SOLD_OUT: {
    meaning: "A drop or listing has no stock left.",
    http: "200, with the error on the field.",
    retry: "No.",
  },
  BALLOT_CLOSED: {
    meaning: "The ballot's voting window has ended; the vote was not recorded.",
    http: "200, with the error on the field.",
    retry: "No.",
  },
  ALREADY_VOTED: {
    meaning: "The vote cannot be changed any more.",
    http: "200, with the error on the field.",
    retry: "No.",
  },
  RATE_LIMITED: {
    meaning: "Too many requests or attempts; `extensions.retryAfterSeconds` says how long to wait.",
    http: "429 with a `Retry-After` header when the gateway's limit refuses the request; 200 when a field's own limit does.",
    retry: "Yes, after `retryAfterSeconds`, with the same idempotency key for writes.",
  },
  PERSISTED_QUERY_NOT_FOUND: {
    meaning: "The gateway does not know the hash sent (automatic persisted queries).",
    http: "200.",
    retry: "Yes: send again with the full document (APQ); a partner's id must be registered first.",
  },
  PERSISTED_QUERY_REQUIRED: {
    meaning: "This client (a partner key, or a browser) may only run registered operations, by id.",
    http: "400.",
    retry: "Only with a registered operation id.",
  },
  INTERNAL_SERVER_ERROR: {
    meaning: "Something failed on our side; the message carries no details.",
    http: "200 with the error on the field, or 500 when the whole request failed.",
    retry: "Yes, with backoff; writes with the same idempotency key are applied at most once.",
  },
};

const knownCodes = new Set<string>(Object.values(ErrorCode));

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && knownCodes.has(value);
}

/**
 * A domain error with a code from the registry. Services throw these; the GraphQL layer
 * turns them into `GraphQLError`s with `extensions.code` in one place (`toGraphQLError`).
 */
export class AppError extends Error {
  override readonly name = "AppError";
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** Factories that stamp the code, so call sites never spell one. */
export const errors = {
  unauthenticated: (message = "Sign in to do this.") => new AppError(ErrorCode.UNAUTHENTICATED, message),
  forbidden: (message = "You are not allowed to do this.") => new AppError(ErrorCode.FORBIDDEN, message),
  badInput: (message: string, field?: string) =>
    new AppError(ErrorCode.BAD_USER_INPUT, message, field ? { field } : {}),
  notFound: (what: string, id?: string) =>
    new AppError(ErrorCode.NOT_FOUND, id ? `${what} ${id} was not found.` : `${what} was not found.`),
  conflict: (message: string) => new AppError(ErrorCode.CONFLICT, message),
  insufficientFunds: (message = "Insufficient funds.") => new AppError(ErrorCode.INSUFFICIENT_FUNDS, message),
  soldOut: (message = "Sold out.") => new AppError(ErrorCode.SOLD_OUT, message),
  ballotClosed: (message = "The ballot is closed.") => new AppError(ErrorCode.BALLOT_CLOSED, message),
  alreadyVoted: (message = "You have already voted.") => new AppError(ErrorCode.ALREADY_VOTED, message),
  rateLimited: (retryAfterSeconds: number) =>
    new AppError(ErrorCode.RATE_LIMITED, `Too many requests; retry in ${retryAfterSeconds}s.`, { retryAfterSeconds }),
  internal: (message = "Something went wrong on our side.") => new AppError(ErrorCode.INTERNAL_SERVER_ERROR, message),
} as const;

/** The one place a domain error becomes a GraphQL error. */
export function toGraphQLError(error: AppError): GraphQLError {
  return new GraphQLError(error.message, { extensions: { code: error.code, ...error.details } });
}

/**
 * Apollo Server `formatError`: keeps coded errors as they are, and outside development
 * replaces anything uncoded (a bug, a driver error with SQL text) with a bare INTERNAL_SERVER_ERROR.
 * Stack traces never leave the process outside development.
 */
export function createErrorFormatter(options: { development: boolean }) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrap(error);
    if (original instanceof AppError) {
      return { ...formatted, extensions: { code: original.code, ...original.details } };
    }
    const code = formatted.extensions?.code;
    if (isErrorCode(code) && code !== ErrorCode.INTERNAL_SERVER_ERROR) {
      const { stacktrace: _stack, ...rest } = formatted.extensions ?? {};
      return options.development ? formatted : { ...formatted, extensions: rest };
    }
    // Apollo's own validation codes (GRAPHQL_VALIDATION_FAILED, BAD_USER_INPUT for variables…) pass through.
    if (typeof code === "string" && code !== ErrorCode.INTERNAL_SERVER_ERROR && code.startsWith("GRAPHQL_")) {
      const { stacktrace: _stack, ...rest } = formatted.extensions ?? {};
      return options.development ? formatted : { ...formatted, extensions: rest };
    }
    if (options.development)
      return { ...formatted, extensions: { ...formatted.extensions, code: ErrorCode.INTERNAL_SERVER_ERROR } };
    return {
      message: "Something went wrong on our side.",
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
    };
  };
}

function unwrap(error: unknown): unknown {
  let current = error;
  for (let i = 0; i < 5 && current instanceof GraphQLError && current.originalError; i++) {
    current = current.originalError;
  }
  return current;
}
