import type { Clock } from "@clearbook/kit";
import type { EntityManager } from "@mikro-orm/core";
import { Ballot, type BallotStatus } from "../db/ballot.entity.js";
import { Vote, type VoteChoice, VoteStatus } from "../db/vote.entity.js";
import { quorumReached, turnout } from "./ballot-rules.js";

/** A ballot's tally as clients see it. */
export interface TallyView {
  ballotId: string;
  approve: number;
  reject: number;
  eligible: number;
  turnout: number;
  quorumReached: boolean;
  updatedAt: Date;
}

/** The viewer's latest vote; `pending` until the chain has committed it. */
export interface MyVote {
  choice: VoteChoice;
  pending: boolean;
  txId: string;
}

export function tallyOf(ballot: Ballot): TallyView {
  const counts = { approve: ballot.approve, reject: ballot.reject, eligible: ballot.eligible };
  const rules = { quorumBps: ballot.quorumBps, thresholdBps: ballot.thresholdBps };
  return {
    ballotId: ballot.id,
    ...counts,
    turnout: turnout(counts),
    quorumReached: quorumReached(counts, rules),
    updatedAt: ballot.tallyUpdatedAt,
  };
}

/** True while votes are accepted: OPEN on chain and before its close time. */
export function isOpen(ballot: Ballot, clock: Clock): boolean {
  return ballot.status === "OPEN" && clock.now() < ballot.closesAt.getTime();
}

/** Reads of the ballot read model. Every method runs on the EntityManager it is given (one per request). */
export const ballotReads = {
  find: (em: EntityManager, id: string): Promise<Ballot | null> => em.findOne(Ballot, { id }),

  /** Many ballots by id in one query (for federation's batched entity lookups). */
  async findMany(em: EntityManager, ids: readonly string[]): Promise<Map<string, Ballot>> {
    const rows = ids.length ? await em.find(Ballot, { id: { $in: [...ids] } }) : [];
    return new Map(rows.map((b) => [b.id, b]));
  },

  ofEntry: (em: EntityManager, entryId: string): Promise<Ballot | null> => em.findOne(Ballot, { entryId }),

  async findManyByEntry(em: EntityManager, entryIds: readonly string[]): Promise<Map<string, Ballot>> {
    const rows = entryIds.length ? await em.find(Ballot, { entryId: { $in: [...entryIds] } }) : [];
    return new Map(rows.map((b) => [b.entryId, b]));
  },

  /** An organization's ballots, newest first. */
  ofOrganization: (em: EntityManager, orgId: string, status?: BallotStatus): Promise<Ballot[]> =>
    em.find(Ballot, status ? { orgId, status } : { orgId }, { orderBy: { opensAt: "desc", id: "asc" } }),

  /** The member's latest vote that the chain has not refused, or null. */
  async myVote(em: EntityManager, ballotId: string, userId: string): Promise<MyVote | null> {
    const vote = await em.findOne(
      Vote,
      { ballotId, userId, status: { $ne: VoteStatus.REJECTED } },
      { orderBy: { id: "desc" } },
    );
    return vote ? { choice: vote.choice, pending: vote.status === VoteStatus.PENDING, txId: vote.txId } : null;
  },
};
