import type { Clock, Logger } from "@clearbook/kit";
import type { EntityManager } from "@mikro-orm/core";
import { decidedOutcome } from "../ballots/ballot-rules.js";
import type { VotingCommands } from "../chain/voting-commands.js";
import { Ballot } from "../db/ballot.entity.js";

export interface FinalizerDeps {
  /** A fresh EntityManager per pass. */
  fork(): EntityManager;
  commands: VotingCommands;
  clock: Clock;
  logger: Logger;
  /** This replica's name in the lease column. */
  replicaId: string;
  /** How long other replicas leave a ballot alone after one asked the chain to finalize it. */
  leaseMs: number;
  /** Pause between passes when nothing wakes the finalizer sooner. */
  intervalMs: number;
}

/** How soon a wake-up runs a pass; the wake-ups in between share it. */
const WAKE_DELAY_MS = 50;

export interface Finalizer {
  /** One pass: asks the chain to finalize every due ballot this replica wins the lease on. @returns their ids. */
  runOnce(): Promise<string[]>;
  /** Starts the periodic passes. */
  start(): void;
  /** Runs a pass soon (the indexer calls it after a vote that may have decided a ballot). */
  wake(): void;
  dispose(): Promise<void>;
}

/**
 * Closes ballots at their close time, or earlier once no outstanding vote could change the outcome.
 *
 * Every replica runs one. A lease on the ballot row (taken with a conditional UPDATE in the same
 * transaction that records the command) lets one replica at a time ask; the chain finalizes a
 * ballot once and refuses later requests, which is then simply the end of the matter: the indexer
 * applies the first finalization and the ballot leaves the OPEN set. If the requested finalization
 * never lands (the chain saw a vote the read model had not yet, say), the lease runs out and a
 * replica asks again with a new command.
 */
export function createFinalizer(deps: FinalizerDeps): Finalizer {
  const { clock, logger } = deps;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = false;
  let again = false;
  let wakePending = false;

  async function due(em: EntityManager, now: Date): Promise<Ballot[]> {
    const open = await em.find(Ballot, {
      status: "OPEN",
      $or: [{ leaseUntil: null }, { leaseUntil: { $lt: now } }],
    });
    return open.filter(
      (b) =>
        b.closesAt.getTime() <= now.getTime() ||
        decidedOutcome(b, { quorumBps: b.quorumBps, thresholdBps: b.thresholdBps }) !== null,
    );
  }

  async function claimAndRequest(ballotId: string, now: Date): Promise<boolean> {
    return deps.fork().transactional(async (em) => {
      const won = await em.nativeUpdate(
        Ballot,
        { id: ballotId, status: "OPEN", $or: [{ leaseUntil: null }, { leaseUntil: { $lt: now } }] },
        { leaseOwner: deps.replicaId, leaseUntil: new Date(now.getTime() + deps.leaseMs) },
      );
      if (won !== 1) return false;
      const ballot = await em.findOneOrFail(Ballot, { id: ballotId });
      ballot.finalizeAttempts += 1;
      const { commandId } = await deps.commands.finalizeBallot(em, { ballotId, attempt: ballot.finalizeAttempts });
      logger.info({ ballotId, commandId }, "finalization requested");
      return true;
    });
  }

  async function runOnce(): Promise<string[]> {
    const now = new Date(clock.now());
    const requested: string[] = [];
    for (const ballot of await due(deps.fork(), now)) {
      if (await claimAndRequest(ballot.id, now)) requested.push(ballot.id);
    }
    return requested;
  }

  function schedule(ms: number) {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(loop, ms);
  }

  function loop() {
    wakePending = false;
    if (running) {
      again = true;
      return;
    }
    running = runOnce()
      .catch((error: unknown) => logger.error({ err: error }, "finalizer pass failed"))
      .finally(() => {
        running = undefined;
        const soon = again;
        again = false;
        schedule(soon ? 0 : deps.intervalMs);
      });
  }

  return {
    runOnce,
    start: () => schedule(0),
    wake() {
      // Votes can arrive hundreds a second: a burst of wake-ups makes one pass, soon.
      if (wakePending) return;
      wakePending = true;
      schedule(WAKE_DELAY_MS);
    },
    async dispose() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
