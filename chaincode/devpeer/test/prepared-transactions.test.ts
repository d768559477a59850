import { suite } from "uvu";
import * as assert from "uvu/assert";
import { PreparedTransactions } from "../src/prepared-transactions.js";
import type { EndorserTransaction } from "../src/validator.js";

const test = suite("prepared transactions");

function transaction(txId: string, payload: string): EndorserTransaction {
  return {
    txId,
    channelId: "clearbook",
    creator: Buffer.from("creator"),
    nonce: Buffer.from("nonce"),
    payloadBytes: Buffer.from(payload),
    signature: new Uint8Array(0),
    responsePayload: new Uint8Array(0),
    endorsements: [],
    rwsets: [],
    event: undefined,
  };
}

test("gives a prepared transaction back once, for exactly its id and payload", () => {
  const prepared = new PreparedTransactions();
  prepared.remember(transaction("a", "payload a"));
  assert.is(prepared.take("a", Buffer.from("payload b")), undefined);
  assert.is(prepared.take("b", Buffer.from("payload a")), undefined);
  assert.is(prepared.take("a", Buffer.from("payload a"))?.txId, "a");
  assert.is(prepared.take("a", Buffer.from("payload a")), undefined, "taken already");
});

test("keeps the latest endorsement of a transaction id", () => {
  const prepared = new PreparedTransactions();
  prepared.remember(transaction("a", "first endorsement"));
  prepared.remember(transaction("a", "second endorsement"));
  assert.is(prepared.size, 1);
  assert.is(prepared.take("a", Buffer.from("first endorsement")), undefined);
  assert.is(prepared.take("a", Buffer.from("second endorsement"))?.txId, "a");
});

test("forgets the oldest transaction first when full", () => {
  const prepared = new PreparedTransactions(2);
  for (const id of ["a", "b", "c"]) prepared.remember(transaction(id, `payload ${id}`));
  assert.is(prepared.size, 2);
  assert.is(prepared.take("a", Buffer.from("payload a")), undefined);
  assert.is(prepared.take("b", Buffer.from("payload b"))?.txId, "b");
  assert.is(prepared.take("c", Buffer.from("payload c"))?.txId, "c");
});

test.run();
