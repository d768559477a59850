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

/**
 * One request's context. The EntityManager is forked on first use (a castVote request never reads
 * through the ORM, and a fork per vote showed in the profile of a vote burst), by a getter on the
 * prototype: Apollo Server copies the context's own properties for each operation (`Object.assign`),
 * which would call an own getter, and fork, for every request.
 */
class RequestContext implements VotingContext {
  readonly loaders: VotingLoaders;

  constructor(
    readonly viewer: Viewer,
    readonly votes: VoteService,
    readonly clock: Clock,
    /** Shared by Apollo's copies of this object: the first call forks, later ones return that fork. */
    private readonly forkOnce: () => EntityManager,
  ) {
    this.loaders = createLoaders(forkOnce, viewer);
  }

  get em(): EntityManager {
    return this.forkOnce();
  }
}

/** The context of a request by `viewer`; `fork` makes its EntityManager when first needed. */
export function createRequestContext(
  viewer: Viewer,
  deps: { votes: VoteService; clock: Clock; fork: () => EntityManager },
): VotingContext {
  let em: EntityManager | undefined;
  return new RequestContext(viewer, deps.votes, deps.clock, () => {
    em ??= deps.fork();
    return em;
  });
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
