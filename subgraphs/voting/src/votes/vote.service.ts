import { type Clock, errors, isDeadlock, type SqlClient, type Viewer } from "@clearbook/kit";
import { isBallotId } from "../ballots/ballot-id.js";
import type { VotingCommands } from "../chain/voting-commands.js";
import { VoteChoice } from "../db/vote.entity.js";
import { recordVotes, type VoteOutcome, type VoteReceipt, type VoteRequest } from "./vote-batch.js";

export type { VoteReceipt } from "./vote-batch.js";

/** Most requests recorded in one transaction. */
const MAX_BATCH = 200;
/** Deadlocks the database still reports are retried this many times, from the start of the batch. */
const MAX_ATTEMPTS = 3;
/** Votes waiting in memory for their batch, per replica, before more are refused with RATE_LIMITED. */
const MAX_QUEUED = 5_000;

export interface VoteServiceDeps {
  /** Plain SQL on the request pool (each batch of votes is one transaction). */
  sql: SqlClient;
  commands: VotingCommands;
  clock: Clock;
  /** Called after a batch committed new commands (so the relay can move them at once). */
  onCommandRecorded?(): void;
  /**
   * How long a vote waits for the member's chain identity to arrive (the signer has just been asked
   * for it) before it is refused with CONFLICT. Real time, not `clock`. Default 5000 ms.
   */
  identityWaitMs?: number;
  /**
   * Most votes waiting for a batch (default 5,000): beyond it `castVote` answers RATE_LIMITED at
   * once instead of holding the request (and its memory) while the database falls further behind.
   */
  maxQueued?: number;
}

/** How often a vote waiting for its member's identity is tried again. */
const IDENTITY_POLL_MS = 100;

export function parseChoice(value: string): VoteChoice {
  if (value === VoteChoice.APPROVE || value === VoteChoice.REJECT) return value;
  throw errors.badInput("choice must be APPROVE or REJECT.", "choice");
}

interface Waiting {
  request: VoteRequest;
  resolve(outcome: VoteOutcome): void;
  reject(error: unknown): void;
}

export function createVoteService(deps: VoteServiceDeps) {
  // Votes wait here while a batch is being recorded, then go together in the next one: one
  // transaction at a time per replica, so the batch grows with the load and a quiet ballot's vote
  // goes at once, alone.
  let queue: Waiting[] = [];
  let recording = false;

  async function recordBatch(batch: Waiting[]): Promise<void> {
    const requests = batch.map((w) => w.request);
    // READ COMMITTED: reads see what committed before them and take no gap locks, so batches never
    // deadlock on the vote index; the members' row locks order each member's votes.
    for (let attempt = 1; ; attempt++) {
      try {
        const outcomes = await deps.sql.transaction((tx) => recordVotes(tx, requests, deps), {
          isolationLevel: "READ COMMITTED",
        });
        if (outcomes.some((o) => "receipt" in o && o.recorded)) deps.onCommandRecorded?.();
        await askForIdentities(outcomes);
        batch.forEach((w, i) => {
          const outcome = outcomes[i];
          if (outcome) w.resolve(outcome);
          else w.reject(new Error("a vote batch returned fewer outcomes than requests"));
        });
        return;
      } catch (error) {
        if (!isDeadlock(error) || attempt >= MAX_ATTEMPTS) {
          for (const w of batch) w.reject(error);
          return;
        }
      }
    }
  }

  /**
   * Members refused for want of a chain identity: the signer is asked to announce theirs, outside the
   * batch's transaction and before the refusals are answered, so a retry finds it asked. A failure
   * here is not the batch's: the member's next attempt asks again.
   */
  async function askForIdentities(outcomes: readonly VoteOutcome[]): Promise<void> {
    const unenrolled = outcomes.flatMap((o) => ("unenrolled" in o && o.unenrolled ? [o.unenrolled] : []));
    if (unenrolled.length === 0) return;
    await deps.commands.requestEnrollments(deps.sql, unenrolled).catch(() => {});
  }

  function drain(): void {
    if (recording || queue.length === 0) return;
    recording = true;
    const batch = queue.slice(0, MAX_BATCH);
    queue = queue.slice(batch.length);
    void recordBatch(batch).finally(() => {
      recording = false;
      drain();
    });
  }

  /**
   * Casts (or changes) the viewer's vote: checks what the service can know, then records the chain
   * command in the same transaction as the PENDING vote. Voting the same choice as one's latest
   * vote again sends nothing new and returns that vote's receipt.
   * @throws AppError UNAUTHENTICATED (anonymous), BAD_USER_INPUT (malformed id or choice),
   *   NOT_FOUND (no such ballot), FORBIDDEN (not eligible at opening), BALLOT_CLOSED, CONFLICT
   *   (the member's chain identity has not arrived within `identityWaitMs`), RATE_LIMITED (too many
   *   votes waiting).
   */
  async function castVote(viewer: Viewer, ballotId: string, choiceInput: string): Promise<VoteReceipt> {
    const userId = viewer.sub;
    if (!userId) throw errors.unauthenticated("Sign in to vote.");
    if (!isBallotId(ballotId)) throw errors.badInput("ballotId is not a ballot id.", "ballotId");
    const choice = parseChoice(choiceInput);
    if (queue.length >= (deps.maxQueued ?? MAX_QUEUED)) throw errors.rateLimited(1);
    // A member whose identity is still being issued (or was asked for again) waits for it, bounded.
    const deadline = performance.now() + (deps.identityWaitMs ?? 5000);
    for (;;) {
      const outcome = await new Promise<VoteOutcome>((resolve, reject) => {
        queue.push({ request: { userId, ballotId, choice }, resolve, reject });
        // The requests of this tick join the batch too.
        if (!recording && queue.length === 1) queueMicrotask(drain);
      });
      if (!("refusal" in outcome)) return outcome.receipt;
      if (!outcome.unenrolled || performance.now() + IDENTITY_POLL_MS > deadline) throw outcome.refusal;
      await new Promise((resolve) => setTimeout(resolve, IDENTITY_POLL_MS));
    }
  }

  return { castVote };
}

export type VoteService = ReturnType<typeof createVoteService>;
