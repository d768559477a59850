import { Arg, ID, Resolver, Root, Subscription } from "type-graphql";
import { BallotType, VoteTallyType } from "../types.js";

/**
 * Declared here so they compose into the supergraph; the gateway's realtime layer serves them from
 * `evt:voting` (VoteTallyChanged, BallotClosed) and refetches `ballot(id)` through the graph.
 */
@Resolver()
export class VotingSubscriptionResolver {
  @Subscription(() => VoteTallyType, {
    topics: "voteTallyChanged",
    description: "Each committed change, conflated under bursts.",
  })
  voteTallyChanged(@Arg("ballotId", () => ID) _ballotId: string, @Root() tally: VoteTallyType): VoteTallyType {
    return tally;
  }

  @Subscription(() => BallotType, {
    topics: "ballotClosed",
    description: "A ballot of the organization was finalized.",
  })
  ballotClosed(@Arg("orgId", () => ID) _orgId: string, @Root() ballot: BallotType): BallotType {
    return ballot;
  }
}
