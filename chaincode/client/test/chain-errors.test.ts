import { AppError, ErrorCode } from "@clearbook/kit";
import { GatewayError } from "@hyperledger/fabric-gateway";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import {
  backoffDelay,
  CHAIN_MISCONFIGURED,
  ChainUnavailableError,
  decodeResult,
  encodeArg,
  findChainErrorCode,
  isBackPressure,
  isDuplicateTransaction,
  isRetryable,
  TransactionRejectedError,
  toChainError,
  ValidationCode,
} from "../src/index.js";

const errors = suite("chain error mapping");

function grpcError(code: number, message: string): Error & { code: number } {
  return Object.assign(new Error(message), { code });
}

const cases: Array<[string, string, ErrorCode, string]> = [
  ["a bare coded message", "INSUFFICIENT_FUNDS: balance 5 < 10", ErrorCode.INSUFFICIENT_FUNDS, "balance 5 < 10"],
  [
    "a message wrapped by the gateway",
    "2 UNKNOWN: evaluate call to endorser returned error: chaincode response 500, NOT_FOUND: ballot b1 does not exist",
    ErrorCode.NOT_FOUND,
    "ballot b1 does not exist",
  ],
  [
    "a closed ballot",
    "10 ABORTED: failed to endorse: BALLOT_CLOSED: voting ended",
    ErrorCode.BALLOT_CLOSED,
    "voting ended",
  ],
  ["a finalized ballot", "ALREADY_FINALIZED: finalized at block 4", ErrorCode.CONFLICT, "finalized at block 4"],
  [
    "a member who may not vote",
    "NOT_ELIGIBLE: joined after the ballot opened",
    ErrorCode.FORBIDDEN,
    "joined after the ballot opened",
  ],
];

for (const [what, message, code, human] of cases) {
  errors(`maps ${what} to ${code}`, () => {
    const mapped = toChainError(grpcError(2, message), "tx1");
    assert.instance(mapped, AppError);
    assert.is((mapped as AppError).code, code);
    assert.is(mapped.message, human);
    assert.is((mapped as AppError).details.transactionId, "tx1");
    assert.not.ok(isRetryable(mapped));
  });
}

errors("ignores capitalised words that are not chain codes", () => {
  assert.is(findChainErrorCode(new Error("14 UNAVAILABLE: No connection established")), undefined);
});

errors("treats an unreachable peer as retryable transport trouble", () => {
  const mapped = toChainError(grpcError(14, "14 UNAVAILABLE: No connection established"));
  assert.instance(mapped, ChainUnavailableError);
  assert.ok(isRetryable(mapped));
  assert.ok(isRetryable(toChainError(grpcError(4, "4 DEADLINE_EXCEEDED: Deadline exceeded"))));
});

errors("refuses a stranger's identity as FORBIDDEN, for good", () => {
  const mapped = toChainError(grpcError(9, "9 FAILED_PRECONDITION: access denied"));
  assert.is((mapped as AppError).code, ErrorCode.FORBIDDEN);
  assert.not.ok(isRetryable(mapped));
});

errors("hides an uncoded chaincode failure behind INTERNAL_SERVER_ERROR", () => {
  const mapped = toChainError(grpcError(2, "2 UNKNOWN: TypeError: cannot read properties of undefined"));
  assert.is((mapped as AppError).code, ErrorCode.INTERNAL_SERVER_ERROR);
  assert.not.ok(isRetryable(mapped));
});

function endorseError(reason: string) {
  const cause = Object.assign(new Error("10 ABORTED: failed to endorse transaction"), {
    code: 10,
    details: "",
    metadata: undefined,
  });
  return new GatewayError({
    code: 10,
    message: "10 ABORTED: failed to endorse transaction, see attached details for more info",
    details: [{ address: "peer0:7051", mspId: "ClearbookMSP", message: reason }],
    cause: cause as unknown as ConstructorParameters<typeof GatewayError>[0]["cause"],
  });
}

errors("reads the endorser's reason from the gateway's error details", () => {
  const coded = toChainError(endorseError("chaincode response 500, INSUFFICIENT_FUNDS: balance 0 < 5"));
  assert.is((coded as AppError).code, ErrorCode.INSUFFICIENT_FUNDS);
  const denied = toChainError(endorseError("access denied: creator certificate is not issued by the CA"));
  assert.is((denied as AppError).code, ErrorCode.FORBIDDEN);
  const bug = toChainError(endorseError("chaincode response 500, TypeError: x is undefined"));
  assert.is((bug as AppError).code, ErrorCode.INTERNAL_SERVER_ERROR);
  assert.instance(toChainError(endorseError("failed to connect to endorser peer1")), ChainUnavailableError);
});

errors("treats the peer's gateway concurrency limit as retryable back-pressure, not a chaincode failure", () => {
  const refused = grpcError(2, "2 UNKNOWN: too many requests for /gateway.Gateway, exceeding concurrency limit (500)");
  assert.ok(isBackPressure(refused));
  const mapped = toChainError(refused, "tx1");
  assert.instance(mapped, ChainUnavailableError);
  assert.ok(isRetryable(mapped));
});

const misconfigured: Array<[string, Error]> = [
  [
    "an unknown chaincode on evaluate",
    grpcError(9, "9 FAILED_PRECONDITION: no peers available to evaluate chaincode nope in channel clearbook"),
  ],
  [
    "an unknown chaincode on endorse",
    grpcError(
      9,
      "9 FAILED_PRECONDITION: no combination of peers can be derived which satisfy the endorsement policy: No metadata was found for chaincode nope in channel clearbook",
    ),
  ],
  [
    "an unknown channel on evaluate or endorse",
    grpcError(
      14,
      "14 UNAVAILABLE: failed to get config for channel [elsewhere]: could not get last config for channel elsewhere",
    ),
  ],
  [
    "an unknown channel on events or commit status",
    grpcError(7, "7 PERMISSION_DENIED: Failed to get policy manager for channel [elsewhere]"),
  ],
];

for (const [what, error] of misconfigured) {
  errors(`reports ${what} as a configuration error, for good`, () => {
    const mapped = toChainError(error, "tx1");
    assert.instance(mapped, AppError);
    assert.is((mapped as AppError).code, ErrorCode.INTERNAL_SERVER_ERROR);
    assert.is((mapped as AppError).details.chainCode, CHAIN_MISCONFIGURED);
    assert.match(mapped.message, "misconfigured");
    assert.not.ok(isRetryable(mapped));
  });
}

errors("recognises the endorser's answer to a proposal whose transaction is already committed", () => {
  const duplicate = endorseError("duplicate transaction found [abc]. Creator [0a0c…]");
  assert.ok(isDuplicateTransaction(duplicate));
  assert.not.ok(isDuplicateTransaction(endorseError("chaincode response 500, CONFLICT: taken")));
});

errors("retries read conflicts but no other rejection", () => {
  const conflict = new TransactionRejectedError("tx", ValidationCode.MVCC_READ_CONFLICT, "MVCC_READ_CONFLICT", 3n);
  const policy = new TransactionRejectedError(
    "tx",
    ValidationCode.ENDORSEMENT_POLICY_FAILURE,
    "ENDORSEMENT_POLICY_FAILURE",
    3n,
  );
  assert.ok(isRetryable(conflict));
  assert.not.ok(isRetryable(policy));
  assert.is(toChainError(conflict), conflict);
});

const wire = suite("wire encoding and backoff");

wire("sends strings raw, bigints as decimals and everything else as JSON", () => {
  assert.is(encodeArg("b-1"), "b-1");
  assert.is(encodeArg(12345678901234567890n), "12345678901234567890");
  assert.is(encodeArg(["a", "b"]), '["a","b"]');
  assert.is(encodeArg({ amount: 5n }), '{"amount":"5"}');
});

wire("decodes JSON results, empty results and bare strings", () => {
  assert.equal(decodeResult(new TextEncoder().encode('{"a":1}')), { a: 1 });
  assert.is(decodeResult(new Uint8Array()), undefined);
  assert.is(decodeResult(new TextEncoder().encode("plain")), "plain");
});

wire("keeps jittered delays within the doubling ceiling", () => {
  const policy = { maxAttempts: 5, baseDelayMs: 20, maxDelayMs: 100 };
  assert.is(
    backoffDelay(policy, 1, () => 0.999),
    19,
  );
  assert.is(
    backoffDelay(policy, 3, () => 0.999),
    79,
  );
  assert.is(
    backoffDelay(policy, 9, () => 0.999),
    99,
  );
  assert.is(
    backoffDelay(policy, 3, () => 0),
    0,
  );
});

errors.run();
wire.run();
