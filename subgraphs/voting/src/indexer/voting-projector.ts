import { errors } from "@clearbook/kit";
import type { EntityManager } from "@mikro-orm/mariadb";
import { Ballot } from "../db/ballot.entity.js";
import { BallotVoter } from "../db/ballot-voter.entity.js";
import { OrgMember } from "../db/org-member.entity.js";
import type { ParsedChainEvent, VotingChainEventPayloads } from "./chain-events.js";
import { applyVotes } from "./vote-projection.js";
import type { VotingEvent } from "./voting-events.js";

/**
 * Applies chaincode events, in chain order, inside `em`'s open transaction. Not idempotent by
 * itself: the indexer marks each chain transaction in the same transaction (`projectChainEvents`).
 * Consecutive votes are applied together (`applyVotes`).
 * @returns the domain events to publish once the transaction commits.
 */
export async function applyChainEvents(em: EntityManager, events: readonly ParsedChainEvent[]): Promise<VotingEvent[]> {
  const out: VotingEvent[] = [];
  let votes: Extract<ParsedChainEvent, { name: "VotingVoteCast" }>[] = [];
  const flushVotes = async () => {
    if (votes.length === 0) return;
    for (const ballot of await applyVotes(em, votes)) out.push(tallyChanged(ballot));
    votes = [];
  };
  for (const event of events) {
    if (event.name === "VotingVoteCast") {
      votes.push(event);
      continue;
    }
    await flushVotes();
    switch (event.name) {
      case "OrgCreated":
        await addMember(em, event.payload.founder);
        break;
      case "OrgMembershipApproved":
        await addMember(em, event.payload.member);
        break;
      case "LedgerSpendingProposed":
        await openBallot(em, event.payload.ballot, event.txId);
        break;
      case "VotingBallotFinalized":
        out.push(...(await closeBallot(em, event.payload.ballot, event.txId)));
        break;
    }
  }
  await flushVotes();
  return out;
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
