import { suite } from "uvu";
import * as assert from "uvu/assert";
import { ids, orgWithMembers } from "./support/fixtures.js";
import type { Endorsement } from "./support/test-chain.js";
import { ValidationCode } from "./support/world-state.js";

const VOTERS = 500;

const rush = suite("500 concurrent votes on one ballot");

/**
 * Every proposal is endorsed against the same committed state (as when 500 members vote within
 * one block). Fabric commits a transaction only if nothing it read changed, so the votes all
 * commit when no vote's write set touches another vote's read or write set.
 */
rush("all endorse against one snapshot, share no written key, and all commit VALID in one block", async () => {
  const { chain, founder, members } = await orgWithMembers(VOTERS - 1);
  const voters = [founder, ...members];
  await chain.submit(
    founder,
    "ledger:ProposeSpending",
    "sp-1",
    "b-1",
    "org-1",
    "Gala",
    "2026",
    "1",
    "100",
    "vendor",
    "[]",
  );
  chain.advance(30);

  const choice = (i: number) => (i % 5 < 3 ? "APPROVE" : "REJECT");
  const endorsements: Endorsement[] = [];
  for (const [i, voter] of voters.entries()) {
    const endorsement = await chain.endorse(voter, "voting:CastVote", ["b-1", choice(i)]);
    assert.is(endorsement.response.status, 200, endorsement.response.message);
    endorsements.push(endorsement);
  }

  const writers = new Map<string, number>();
  for (const [i, { stub }] of endorsements.entries()) {
    assert.is(stub.rwset.ranges.length, 0, "a vote does no range read");
    assert.is(stub.rwset.writes.size, 1, "a vote writes exactly its own key");
    for (const key of stub.rwset.writes.keys()) {
      assert.not.ok(writers.has(key), "two votes write the same key");
      writers.set(key, i);
    }
  }
  for (const [i, { stub }] of endorsements.entries()) {
    for (const key of [...stub.rwset.reads.keys(), ...stub.rwset.writes.keys()]) {
      const writer = writers.get(key);
      assert.ok(writer === undefined || writer === i, `vote ${i} touches a key vote ${writer} writes`);
    }
  }

  const codes = chain.world.commitBlock(endorsements.map((e) => e.stub.rwset));
  assert.equal(
    codes.filter((c) => c !== ValidationCode.VALID),
    [],
  );
  const { tally } = await chain.evaluate(founder, "voting:GetBallot", "b-1");
  assert.equal([tally.approve, tally.reject, tally.eligible], [300, 200, VOTERS]);
});

rush("a second wave of changed votes commits in one block too, and the last vote counts", async () => {
  const { chain, founder, members } = await orgWithMembers(49);
  const voters = [founder, ...members];
  await chain.submit(
    founder,
    "ledger:ProposeSpending",
    "sp-1",
    "b-1",
    "org-1",
    "Gala",
    "2026",
    "1",
    "100",
    "vendor",
    "[]",
  );
  const wave = async (choice: string) => {
    const endorsements = await Promise.all(voters.map((v) => chain.endorse(v, "voting:CastVote", ["b-1", choice])));
    return chain.world.commitBlock(endorsements.map((e) => e.stub.rwset));
  };
  assert.ok((await wave("APPROVE")).every((c) => c === ValidationCode.VALID));
  assert.ok((await wave("REJECT")).every((c) => c === ValidationCode.VALID));
  const { tally } = await chain.evaluate(founder, "voting:GetBallot", "b-1");
  assert.equal([tally.approve, tally.reject], [0, 50]);
});

rush("the harness does catch conflicts: a vote endorsed before finalization is invalid after it", async () => {
  const { chain, founder, members } = await orgWithMembers(2);
  await chain.submit(
    founder,
    "ledger:ProposeSpending",
    "sp-1",
    "b-1",
    "org-1",
    "Gala",
    "2026",
    "1",
    "100",
    "vendor",
    "[]",
  );
  for (const m of [founder, members[0]!]) await chain.submit(m, "voting:CastVote", "b-1", "APPROVE");
  const late = await chain.endorse(members[1]!, "voting:CastVote", ["b-1", "REJECT"]);
  const finalize = await chain.endorse(await ids.service(), "voting:FinalizeBallot", ["b-1"]);
  assert.equal(chain.world.commitBlock([finalize.stub.rwset, late.stub.rwset]), [
    ValidationCode.VALID,
    ValidationCode.MVCC_READ_CONFLICT,
  ]);
});

rush(
  "the harness re-executes range reads: a finalization counted before a new vote in its block is a phantom",
  async () => {
    const { chain, founder, members } = await orgWithMembers(2);
    await chain.submit(
      founder,
      "ledger:ProposeSpending",
      "sp-1",
      "b-1",
      "org-1",
      "Gala",
      "2026",
      "1",
      "100",
      "vendor",
      "[]",
    );
    for (const m of [founder, members[0]!]) await chain.submit(m, "voting:CastVote", "b-1", "APPROVE");
    const finalize = await chain.endorse(await ids.service(), "voting:FinalizeBallot", ["b-1"]);
    const vote = await chain.endorse(members[1]!, "voting:CastVote", ["b-1", "REJECT"]);
    assert.equal(chain.world.commitBlock([vote.stub.rwset, finalize.stub.rwset]), [
      ValidationCode.VALID,
      ValidationCode.PHANTOM_READ_CONFLICT,
    ]);
  },
);

rush.run();
