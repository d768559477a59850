import "reflect-metadata";
import { buildFederatedSchema } from "@clearbook/kit";
import type { GraphQLSchema } from "graphql";
import type { LedgerContext } from "./context.js";
import { AuthResolver } from "./resolvers/auth.resolver.js";
import { EntryActivityResolver, EvidenceResolver, LedgerEntryResolver } from "./resolvers/entry.resolver.js";
import {
  ChainTransactionResolver,
  ExplorerResolver,
  pendingTransaction,
  toTransaction,
} from "./resolvers/explorer.resolver.js";
import { MembershipRequestResolver, OrganizationResolver } from "./resolvers/organization.resolver.js";
import { LedgerSubscriptionResolver } from "./resolvers/subscription.resolver.js";
import { MembershipResolver, UserResolver } from "./resolvers/user.resolver.js";
import { DateTimeScalar, MoneyScalar } from "./scalars.js";

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

/** The ledger's federated schema (entities: User, Organization, LedgerEntry by id; ChainTransaction by txId). */
export function buildLedgerSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema(
    {
      resolvers: [
        AuthResolver,
        UserResolver,
        MembershipResolver,
        OrganizationResolver,
        MembershipRequestResolver,
        LedgerEntryResolver,
        EntryActivityResolver,
        EvidenceResolver,
        ExplorerResolver,
        ChainTransactionResolver,
        LedgerSubscriptionResolver,
      ],
      scalarsMap: [
        { type: Date, scalar: DateTimeScalar },
        { type: BigInt, scalar: MoneyScalar },
      ],
      pubSub: inertPubSub,
      validate: false,
    },
    {
      User: { __resolveReference: (ref, ctx) => (ctx as LedgerContext).loaders.users.load(key(ref, "id")) },
      Organization: { __resolveReference: (ref, ctx) => (ctx as LedgerContext).loaders.orgs.load(key(ref, "id")) },
      LedgerEntry: {
        __resolveReference: (ref, ctx) => {
          const c = ctx as LedgerContext;
          return c.services.entries.entry(c.em, key(ref, "id"));
        },
      },
      ChainTransaction: {
        __resolveReference: async (ref, ctx) => {
          // Entity references come from other subgraphs (a vote receipt's tx): answer from the read
          // model without a peer round trip, and a transaction not seen yet is pending.
          const txId = key(ref, "txId");
          const tx = await (ctx as LedgerContext).loaders.txs.load(txId);
          return tx ? toTransaction(tx) : pendingTransaction(txId);
        },
      },
    },
  );
}
