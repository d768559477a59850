import "reflect-metadata";
import { buildFederatedSchema } from "@clearbook/kit";
import type { GraphQLSchema } from "graphql";
import type { VotingContext } from "./context.js";
import { toBallot } from "./mappers.js";
import { BallotResolver } from "./resolvers/ballot.resolver.js";
import {
  LedgerEntryBallotResolver,
  OrganizationBallotsResolver,
  VoteReceiptResolver,
} from "./resolvers/extension.resolver.js";
import { VotingSubscriptionResolver } from "./resolvers/subscription.resolver.js";
import { DateTimeScalar } from "./scalars.js";

/** Subscriptions are served by the gateway's realtime layer; this pub/sub never delivers. */
const inertPubSub = {
  publish: () => undefined,
  subscribe: () => ({
    [Symbol.asyncIterator]: () => ({ next: () => new Promise<IteratorResult<unknown>>(() => undefined) }),
  }),
};

const key = (reference: Record<string, unknown>, field: string): string => {
  const value = reference[field];
  if (typeof value !== "string") throw new Error(`entity reference without ${field}`);
  return value;
};

/** The voting subgraph's schema: Ballot and VoteTally entities; Organization and LedgerEntry extended. */
export function buildVotingSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema(
    {
      resolvers: [
        BallotResolver,
        OrganizationBallotsResolver,
        LedgerEntryBallotResolver,
        VoteReceiptResolver,
        VotingSubscriptionResolver,
      ],
      scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
      pubSub: inertPubSub,
      validate: false,
    },
    {
      Ballot: {
        __resolveReference: async (ref, ctx) => {
          const row = await (ctx as VotingContext).loaders.ballots.load(key(ref, "id"));
          return row ? toBallot(row) : null;
        },
      },
      VoteTally: {
        __resolveReference: async (ref, ctx) => {
          const row = await (ctx as VotingContext).loaders.ballots.load(key(ref, "ballotId"));
          return row ? toBallot(row).tally : null;
        },
      },
      // Organization and LedgerEntry references carry their id, which is all their fields here need.
      Organization: { __resolveReference: (ref) => ({ id: key(ref, "id") }) },
      LedgerEntry: { __resolveReference: (ref) => ({ id: key(ref, "id") }) },
    },
  );
}
