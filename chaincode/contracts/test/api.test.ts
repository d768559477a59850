import { test } from "uvu";
import * as assert from "uvu/assert";
import { ChainErrorCode, parseChainError, TRANSACTIONS } from "../src/api.js";

test("reads the code prefix of a chaincode error relayed by a peer", () => {
  assert.equal(parseChainError("chaincode response 500, INSUFFICIENT_FUNDS: balance 3 is below 5"), {
    code: ChainErrorCode.INSUFFICIENT_FUNDS,
    message: "balance 3 is below 5",
  });
  assert.is(parseChainError("Expected 2 parameters, but 1 have been supplied"), null);
  assert.is(parseChainError("WHATEVER: not a code of ours"), null);
});

test("names every transaction <contract>:<Function> in one of the four contracts", () => {
  for (const name of Object.keys(TRANSACTIONS)) {
    assert.match(name, /^(org|ledger|voting|token):[A-Z][A-Za-z]+$/);
  }
});

test.run();
