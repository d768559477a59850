import { type Clock, errors, type Viewer } from "@clearbook/kit";
import { DeadlockException, type EntityManager, IsolationLevel, LockMode } from "@mikro-orm/core";
import { isOpen } from "../ballots/ballot.service.js";
import { isBallotId } from "../ballots/ballot-id.js";
import type { VotingCommands } from "../chain/voting-commands.js";
import { Ballot } from "../db/ballot.entity.js";
import { BallotVoter } from "../db/ballot-voter.entity.js";
import { Vote, VoteChoice, VoteStatus } from "../db/vote.entity.js";

/** What `castVote` returns: the vote and the transaction that carries it. */
export interface VoteReceipt {
  ballotId: string;
  choice: VoteChoice;
  txId: string;
  status: VoteStatus;
}

export interface VoteServiceDeps {
  commands: VotingCommands;
  clock: Clock;
  /** Called after a vote's command committed (so the relay can move it at once). */
  onCommandRecorded?(): void;
}

export function parseChoice(value: string): VoteChoice {
  if (value === VoteChoice.APPROVE || value === VoteChoice.REJECT) return value;
  throw errors.badInput("choice must be APPROVE or REJECT.", "choice");
}

export function createVoteService(deps: VoteServiceDeps) {
  const { commands, clock } = deps;

  /**
   * Casts (or changes) the viewer's vote: checks what the service can know, then records the chain
   * command in the same transaction as the PENDING vote. Voting the same choice as one's latest
   * vote again sends nothing new and returns that vote's receipt.
   * @throws AppError UNAUTHENTICATED (anonymous), BAD_USER_INPUT (malformed id or choice),
   *   NOT_FOUND (no such ballot), FORBIDDEN (not eligible at opening), BALLOT_CLOSED.
   */
  async function castVote(
    em: EntityManager,
    viewer: Viewer,
    ballotId: string,
    choiceInput: string,
  ): Promise<VoteReceipt> {
    const userId = viewer.sub;
    if (!userId) throw errors.unauthenticated("Sign in to vote.");
    if (!isBallotId(ballotId)) throw errors.badInput("ballotId is not a ballot id.", "ballotId");
    const choice = parseChoice(choiceInput);

    // READ COMMITTED: reads see what committed before them and take no gap locks, so members voting
    // at once never deadlock on the vote index; the member's own row lock orders their own votes.
    // A deadlock the database still reports is retried, a few times, from the start.
    for (let attempt = 1; ; attempt++) {
      try {
        const receipt = await em.fork().transactional((tx) => record(tx, userId, ballotId, choice), {
          isolationLevel: IsolationLevel.READ_COMMITTED,
        });
        if (receipt.recorded) deps.onCommandRecorded?.();
        return receipt.receipt;
      } catch (error) {
        if (!(error instanceof DeadlockException) || attempt >= 3) throw error;
      }
    }
  }

  async function record(
    tx: EntityManager,
    userId: string,
    ballotId: string,
    choice: VoteChoice,
  ): Promise<{ receipt: VoteReceipt; recorded: boolean }> {
    // The member's row first: their concurrent votes queue here (a double click sends one command).
    const voter = await tx.findOne(BallotVoter, { ballotId, userId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    const ballot = await tx.findOne(Ballot, { id: ballotId });
    if (!ballot) throw errors.notFound("Ballot", ballotId);
    if (!voter) throw errors.forbidden("Only members eligible when the ballot opened may vote on it.");
    if (!isOpen(ballot, clock)) throw errors.ballotClosed();

    const latest = await tx.findOne(
      Vote,
      { ballotId, userId, status: { $ne: VoteStatus.REJECTED } },
      { orderBy: { id: "desc" } },
    );
    if (latest && latest.choice === choice) {
      return { receipt: { ballotId, choice, txId: latest.txId, status: latest.status }, recorded: false };
    }

    const { txId } = await commands.castVote(tx, { userId, ballotId, choice });
    tx.create(Vote, {
      txId,
      ballotId,
      userId,
      choice,
      status: VoteStatus.PENDING,
      createdAt: new Date(clock.now()),
      committedAt: null,
      blockNumber: null,
    });
    return { receipt: { ballotId, choice, txId, status: VoteStatus.PENDING }, recorded: true };
  }

  return { castVote };
}

export type VoteService = ReturnType<typeof createVoteService>;
