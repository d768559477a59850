import { suite } from "uvu";
import * as assert from "uvu/assert";
import { TRANSACTIONS } from "../src/api.js";
import { ids } from "./support/fixtures.js";
import { TestChain } from "./support/test-chain.js";

const metadata = suite("contract metadata");

metadata("the compiled contracts carry decorator metadata (tsc, not an esbuild loader)", () => {
  const { contracts } = new TestChain().chaincode.metadata;
  const castVote = contracts.voting?.transactions.find((t) => t.name === "CastVote");
  assert.equal(
    castVote?.parameters?.map((p) => p.name),
    ["ballotId", "choice"],
  );
});

metadata("every transaction of api.ts exists with the same arguments and submit/evaluate kind, and no other", () => {
  const { contracts } = new TestChain().chaincode.metadata;
  const declared = Object.entries(TRANSACTIONS).map(([name, spec]) => ({
    name,
    submit: spec.submit,
    args: [...spec.args],
  }));
  const served = Object.entries(contracts)
    .filter(([contract]) => contract !== "org.hyperledger.fabric")
    .flatMap(([contract, { transactions }]) =>
      transactions.map((t) => ({
        name: `${contract}:${t.name}`,
        submit: t.tag?.includes("SUBMIT") ?? false,
        args: (t.parameters ?? []).map((p) => p.name),
      })),
    );
  const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
  assert.equal(served.sort(byName), declared.sort(byName));
});

metadata("serves its metadata through the system contract (org.hyperledger.fabric:GetMetadata)", async () => {
  const chain = new TestChain();
  const { response } = await chain.endorse(await ids.user("u"), "org.hyperledger.fabric:GetMetadata", []);
  assert.is(response.status, 200, response.message);
  const served = JSON.parse(Buffer.from(response.payload ?? new Uint8Array()).toString("utf8"));
  assert.equal(Object.keys(served.contracts).sort(), ["ledger", "org", "org.hyperledger.fabric", "token", "voting"]);
});

metadata("refuses an unknown function with NOT_FOUND and writes nothing", async () => {
  const chain = new TestChain();
  const { response, stub } = await chain.endorse(await ids.user("u"), "token:Steal", []);
  assert.is(response.status, 500);
  assert.match(response.message ?? "", /^NOT_FOUND: /);
  assert.is(stub.rwset.writes.size, 0);
});

metadata("a wrong number of arguments is refused by the dispatcher before any contract code runs", async () => {
  const chain = new TestChain();
  const { response } = await chain.endorse(await ids.user("u"), "token:OpenAccount", []);
  assert.is(response.status, 500);
  assert.match(response.message ?? "", "Expected 1 parameters, but 0 have been supplied");
});

metadata.run();
