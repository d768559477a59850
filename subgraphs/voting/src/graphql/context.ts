import type { Clock, Viewer } from "@clearbook/kit";
import type { EntityManager } from "@mikro-orm/core";
import { ballotReads, type MyVote } from "../ballots/ballot.service.js";
import type { Ballot } from "../db/ballot.entity.js";
import type { VoteService } from "../votes/vote.service.js";
import { BatchLoader } from "./batch-loader.js";

export interface VotingLoaders {
  ballots: BatchLoader<Ballot>;
  ballotsByEntry: BatchLoader<Ballot>;
  /** The viewer's latest vote per ballot (empty for an anonymous viewer). */
  myVotes: BatchLoader<MyVote>;
}

/** Per-request context: the verified viewer, a forked EntityManager (on first use), the services and loaders. */
export interface VotingContext {
  viewer: Viewer;
  em: EntityManager;
  votes: VoteService;
  clock: Clock;
  loaders: VotingLoaders;
}

/** @param em the request's EntityManager, forked on first use. */
export function createLoaders(em: () => EntityManager, viewer: Viewer): VotingLoaders {
  return {
    ballots: new BatchLoader((ids) => ballotReads.findMany(em(), ids)),
    ballotsByEntry: new BatchLoader((entryIds) => ballotReads.findManyByEntry(em(), entryIds)),
    myVotes: new BatchLoader(async (ballotIds) => {
      const found = new Map<string, MyVote>();
      if (!viewer.sub) return found;
      for (const id of ballotIds) {
        const mine = await ballotReads.myVote(em(), id, viewer.sub);
        if (mine) found.set(id, mine);
      }
      return found;
    }),
  };
}
