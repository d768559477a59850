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
    description:
      "Each committed change of a ballot's counts, conflated under bursts (always the latest). Over graphql-ws.",
  })
  voteTallyChanged(
    @Arg("ballotId", () => ID, { description: "The ballot to follow." }) _ballotId: string,
    @Root() tally: VoteTallyType,
  ): VoteTallyType {
    return tally;
  }

  @Subscription(() => BallotType, {
    topics: "ballotClosed",
    description: "A ballot of the organization was finalized (APPROVED or REJECTED). Over graphql-ws.",
  })
  ballotClosed(
    @Arg("orgId", () => ID, { description: "The organization to follow." }) _orgId: string,
    @Root() ballot: BallotType,
  ): BallotType {
    return ballot;
  }
}
