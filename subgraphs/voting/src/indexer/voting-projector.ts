import { errors } from "@clearbook/kit";
import { type EntityManager, LockMode } from "@mikro-orm/core";
import { Ballot } from "../db/ballot.entity.js";
import { BallotVoter } from "../db/ballot-voter.entity.js";
import { OrgMember } from "../db/org-member.entity.js";
import { Vote, VoteStatus } from "../db/vote.entity.js";
import type { ParsedChainEvent, VotingChainEventPayloads } from "./chain-events.js";
import type { VotingEvent } from "./voting-events.js";

/**
 * Applies one chaincode event to the read model inside `em`'s open transaction. Not idempotent by
 * itself: the indexer runs it under the kit's `applyOnce`, keyed by the chain transaction id.
 * @returns the domain events to publish once the transaction commits.
 */
export async function applyChainEvent(em: EntityManager, event: ParsedChainEvent): Promise<VotingEvent[]> {
  switch (event.name) {
    case "OrgCreated":
      await addMember(em, event.payload.founder);
      return [];
    case "OrgMembershipApproved":
      await addMember(em, event.payload.member);
      return [];
    case "LedgerSpendingProposed":
      await openBallot(em, event.payload.ballot, event.txId);
      return [];
    case "VotingVoteCast":
      return applyVote(em, event.payload, event.txId, event.blockNumber);
    case "VotingBallotFinalized":
      return closeBallot(em, event.payload.ballot, event.txId);
  }
}

type Member = VotingChainEventPayloads["OrgCreated"]["founder"];
type ChainBallot = VotingChainEventPayloads["LedgerSpendingProposed"]["ballot"];

async function addMember(em: EntityManager, member: Member): Promise<void> {
  await em.upsert(OrgMember, { orgId: member.orgId, userId: member.userId, since: member.since });
}

/** Records the ballot and fixes its electorate: the members the chain had approved by the opening. */
async function openBallot(em: EntityManager, ballot: ChainBallot, txId: string): Promise<void> {
  const members = await em.find(OrgMember, { orgId: ballot.orgId, since: { $lte: ballot.opensAt } });
  em.create(Ballot, {
    id: ballot.ballotId,
    orgId: ballot.orgId,
    entryId: ballot.entryId,
    opensAt: ballot.opensAt,
    closesAt: ballot.closesAt,
    status: "OPEN",
    quorumBps: ballot.quorumBps,
    thresholdBps: ballot.thresholdBps,
    // The chain's count is authoritative for the tally; the snapshot serves eligibility checks.
    eligible: ballot.eligibleCount,
    approve: 0,
    reject: 0,
    tallyUpdatedAt: ballot.opensAt,
    openedTxId: txId,
    finalizedAt: null,
    finalizedTxId: null,
    leaseOwner: null,
    leaseUntil: null,
    finalizeAttempts: 0,
  });
  for (const m of members) {
    em.create(BallotVoter, { ballotId: ballot.ballotId, userId: m.userId, choice: null, txId: null, votedAt: null });
  }
  await em.flush();
}

async function applyVote(
  em: EntityManager,
  payload: VotingChainEventPayloads["VotingVoteCast"],
  txId: string,
  blockNumber: bigint,
): Promise<VotingEvent[]> {
  const { vote, previous } = payload;
  // Locked: the counts are read and written back, and another replica's indexer may be on this ballot.
  const ballot = await em.findOne(Ballot, { id: vote.ballotId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!ballot) throw errors.internal(`vote ${txId} is for ballot ${vote.ballotId}, which the read model lacks`);

  // The chain says what the voter's previous choice was, so the tally moves by an exact delta
  // whatever order this service saw the votes in.
  const delta = (c: string) => (vote.choice === c ? 1 : 0) - (previous === c ? 1 : 0);
  ballot.approve += delta("APPROVE");
  ballot.reject += delta("REJECT");
  ballot.tallyUpdatedAt = vote.castAt;

  await em.upsert(BallotVoter, {
    ballotId: vote.ballotId,
    userId: vote.userId,
    choice: vote.choice,
    txId,
    votedAt: vote.castAt,
  });

  const pending = await em.findOne(Vote, { txId });
  if (pending) {
    pending.status = VoteStatus.COMMITTED;
    pending.committedAt = vote.castAt;
    pending.blockNumber = Number(blockNumber);
  } else {
    // A vote this service did not record (another service, or a retry under a new transaction id):
    // older pending votes of the member with the same choice were that retry's predecessors.
    await em.nativeUpdate(
      Vote,
      { ballotId: vote.ballotId, userId: vote.userId, choice: vote.choice, status: VoteStatus.PENDING },
      { status: VoteStatus.REJECTED },
    );
    em.create(Vote, {
      txId,
      ballotId: vote.ballotId,
      userId: vote.userId,
      choice: vote.choice,
      status: VoteStatus.COMMITTED,
      createdAt: vote.castAt,
      committedAt: vote.castAt,
      blockNumber: Number(blockNumber),
    });
  }
  await em.flush();
  return [tallyChanged(ballot)];
}

async function closeBallot(em: EntityManager, chainBallot: ChainBallot, txId: string): Promise<VotingEvent[]> {
  const ballot = await em.findOne(Ballot, { id: chainBallot.ballotId });
  if (!ballot)
    throw errors.internal(`finalization ${txId} is for ballot ${chainBallot.ballotId}, which the read model lacks`);
  if (chainBallot.status === "OPEN") return [];
  ballot.status = chainBallot.status;
  ballot.finalizedAt = chainBallot.finalizedAt ?? new Date();
  ballot.finalizedTxId = txId;
  ballot.leaseOwner = null;
  ballot.leaseUntil = null;
  if (chainBallot.finalTally) {
    ballot.approve = chainBallot.finalTally.approve;
    ballot.reject = chainBallot.finalTally.reject;
  }
  await em.flush();
  return [
    tallyChanged(ballot),
    { type: "BallotClosed", data: { ballotId: ballot.id, orgId: ballot.orgId, status: chainBallot.status } },
  ];
}

function tallyChanged(ballot: Ballot): VotingEvent {
  return {
    type: "VoteTallyChanged",
    data: {
      ballotId: ballot.id,
      orgId: ballot.orgId,
      approve: ballot.approve,
      reject: ballot.reject,
      eligible: ballot.eligible,
      updatedAt: ballot.tallyUpdatedAt.toISOString(),
    },
  };
}
