import { suite } from "uvu";
import * as assert from "uvu/assert";
import { ChainErrorCode, EventName } from "../src/api.js";
import { ids, type OrgFixture, orgWithMembers, refused } from "./support/fixtures.js";
import { TestChain } from "./support/test-chain.js";

/** An organization with `memberCount` members besides the founder and an open ballot "b-1" on spending "sp-1". */
async function openBallot(memberCount: number): Promise<OrgFixture> {
  const fixture = await orgWithMembers(memberCount);
  await fixture.chain.submit(
    fixture.founder,
    "ledger:ProposeSpending",
    "sp-1",
    "b-1",
    "org-1",
    "Party",
    "2026",
    "1",
    "100",
    "vendor",
    "[]",
  );
  return fixture;
}

const votes = suite("voting:CastVote");

votes("an eligible member votes, changes the vote, and the last vote counts", async () => {
  const { chain, members } = await openBallot(2);
  const [alice] = members;
  const first = await chain.submit(alice!, "voting:CastVote", "b-1", "APPROVE");
  assert.equal([first.vote.choice, first.previous], ["APPROVE", null]);
  chain.advance(10);
  const endorsement = await chain.endorse(alice!, "voting:CastVote", ["b-1", "REJECT"]);
  assert.equal(TestChain.event(endorsement), {
    name: EventName.VotingVoteCast,
    payload: {
      vote: {
        ballotId: "b-1",
        userId: "member-0",
        choice: "REJECT",
        castAt: "2026-03-02T09:00:10.000Z",
        txId: endorsement.txId,
      },
      previous: "APPROVE",
    },
  });
  await chain.submit(alice!, "voting:CastVote", "b-1", "REJECT");
  const view = await chain.evaluate(alice!, "voting:GetBallot", "b-1");
  assert.equal([view.tally.approve, view.tally.reject, view.tally.eligible], [0, 1, 3]);
  assert.is((await chain.evaluate(alice!, "voting:GetVote", "b-1", "member-0"))?.choice, "REJECT");
  assert.is(await chain.evaluate(alice!, "voting:GetVote", "b-1", "member-1"), null);
  assert.is((await chain.evaluate(alice!, "voting:GetVotes", "b-1")).length, 1);
});

votes("refuses votes after the close time, even before finalization", async () => {
  const { chain, members } = await openBallot(1);
  chain.advance(3600);
  await refused(chain.submit(members[0]!, "voting:CastVote", "b-1", "APPROVE"), ChainErrorCode.BALLOT_CLOSED);
});

votes("refuses votes from non-members and from members who joined after the ballot opened", async () => {
  const { chain, founder } = await openBallot(0);
  const stranger = await ids.user("stranger");
  await refused(chain.submit(stranger, "voting:CastVote", "b-1", "APPROVE"), ChainErrorCode.NOT_ELIGIBLE);
  const late = await ids.user("late");
  await chain.submit(late, "org:RequestMembership", "req-late", "org-1");
  await chain.submit(founder, "org:ApproveMembership", "req-late");
  await refused(chain.submit(late, "voting:CastVote", "b-1", "APPROVE"), ChainErrorCode.NOT_ELIGIBLE);
});

votes("refuses an unknown ballot, a malformed choice and votes on a finalized ballot", async () => {
  const { chain, founder, members } = await openBallot(1);
  await refused(chain.submit(founder, "voting:CastVote", "b-nope", "APPROVE"), ChainErrorCode.NOT_FOUND);
  await refused(chain.submit(founder, "voting:CastVote", "b-1", "approve"), ChainErrorCode.BAD_USER_INPUT);
  await refused(chain.submit(founder, "voting:CastVote", "b-1", "ABSTAIN"), ChainErrorCode.BAD_USER_INPUT);
  await chain.submit(founder, "voting:CastVote", "b-1", "APPROVE");
  await chain.submit(members[0]!, "voting:CastVote", "b-1", "APPROVE");
  await chain.submit(founder, "voting:FinalizeBallot", "b-1");
  await refused(chain.submit(founder, "voting:CastVote", "b-1", "REJECT"), ChainErrorCode.ALREADY_FINALIZED);
});

votes.run();

const finalize = suite("voting:FinalizeBallot");

finalize(
  "anyone finalizes after close: approved with quorum and a strict majority, and the entry follows",
  async () => {
    const { chain, founder, members } = await openBallot(3);
    await chain.submit(founder, "voting:CastVote", "b-1", "APPROVE");
    await chain.submit(members[0]!, "voting:CastVote", "b-1", "APPROVE");
    await chain.submit(members[1]!, "voting:CastVote", "b-1", "REJECT");
    chain.advance(3600);
    const finalizer = await ids.service();
    const result = await chain.submit(finalizer, "voting:FinalizeBallot", "b-1");
    assert.equal(
      [result.ballot.status, result.ballot.finalTally, result.ballot.finalizedBy],
      ["APPROVED", { approve: 2, reject: 1 }, "finalizer"],
    );
    assert.equal([result.tally.quorumReached, result.tally.turnoutBps], [true, 7500]);
    assert.equal([result.entry.status, result.entry.decidedBy], ["APPROVED", "ballot:b-1"]);
    assert.is((await chain.evaluate(finalizer, "ledger:GetEntry", "sp-1")).status, "APPROVED");
    await refused(chain.submit(founder, "voting:FinalizeBallot", "b-1"), ChainErrorCode.ALREADY_FINALIZED);
  },
);

finalize("rejects a tie (the threshold must be exceeded strictly) and a ballot short of quorum", async () => {
  const tie = await openBallot(1);
  await tie.chain.submit(tie.founder, "voting:CastVote", "b-1", "APPROVE");
  await tie.chain.submit(tie.members[0]!, "voting:CastVote", "b-1", "REJECT");
  tie.chain.advance(3600);
  const tied = await tie.chain.submit(tie.founder, "voting:FinalizeBallot", "b-1");
  assert.equal([tied.ballot.status, tied.entry.status], ["REJECTED", "REJECTED"]);

  const thin = await openBallot(3);
  await thin.chain.submit(thin.founder, "voting:CastVote", "b-1", "APPROVE");
  thin.chain.advance(3600);
  const short = await thin.chain.submit(thin.founder, "voting:FinalizeBallot", "b-1");
  assert.equal([short.ballot.status, short.tally.quorumReached, short.tally.leading], ["REJECTED", false, "REJECTED"]);
});

finalize("refuses to finalize an open ballot whose outcome the remaining votes could still change", async () => {
  const { chain, founder, members } = await openBallot(3);
  await refused(chain.submit(founder, "voting:FinalizeBallot", "b-1"), ChainErrorCode.BALLOT_OPEN);
  await chain.submit(founder, "voting:CastVote", "b-1", "APPROVE");
  await chain.submit(members[0]!, "voting:CastVote", "b-1", "APPROVE");
  await refused(chain.submit(founder, "voting:FinalizeBallot", "b-1"), ChainErrorCode.BALLOT_OPEN);
  await refused(chain.submit(founder, "voting:FinalizeBallot", "b-nope"), ChainErrorCode.NOT_FOUND);
});

finalize("finalizes early once no remaining vote could change the outcome", async () => {
  const approved = await openBallot(3);
  for (const who of [approved.founder, ...approved.members.slice(0, 2)]) {
    await approved.chain.submit(who, "voting:CastVote", "b-1", "APPROVE");
  }
  const view = await approved.chain.evaluate(approved.founder, "voting:GetBallot", "b-1");
  assert.is(view.tally.decided, "APPROVED");
  const early = await approved.chain.submit(await ids.user("anyone"), "voting:FinalizeBallot", "b-1");
  assert.equal([early.ballot.status, early.entry.status], ["APPROVED", "APPROVED"]);

  const rejected = await openBallot(3);
  for (const who of [rejected.founder, rejected.members[0]!]) {
    await rejected.chain.submit(who, "voting:CastVote", "b-1", "REJECT");
  }
  const refusal = await rejected.chain.submit(rejected.founder, "voting:FinalizeBallot", "b-1");
  assert.equal([refusal.ballot.status, refusal.entry.status], ["REJECTED", "REJECTED"]);
});

finalize.run();
