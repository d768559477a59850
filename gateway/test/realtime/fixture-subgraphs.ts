import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginInlineTraceDisabled } from "@apollo/server/plugin/disabled";
import { startStandaloneServer } from "@apollo/server/standalone";
import { buildSubgraphSchema, type GraphQLResolverMap } from "@apollo/subgraph";
import { AppError, ErrorCode, toGraphQLError, VIEWER_HEADER, type Viewer, verifyViewer } from "@clearbook/kit";
import { parse } from "graphql";

export const INTERNAL_SECRET = "test-realtime-internal-secret";

/** What the fixture subgraphs serve; tests change it, then append an event. */
export interface FixtureStore {
  ballots: Map<string, { id: string; entryId: string; status: string; approve: number; reject: number; memo: string }>;
  entries: Map<string, { id: string; eventName: string; amount: string }>;
  transactions: Map<string, { txId: string; status: string }>;
  /** wallet id → owner user id */
  wallets: Map<string, string>;
}

export const emptyStore = (): FixtureStore => ({
  ballots: new Map(),
  entries: new Map(),
  transactions: new Map(),
  wallets: new Map(),
});

export const votingSdl = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Ballot @key(fields: "id") { id: ID! status: String! entry: LedgerEntry! tally: VoteTally! memo: String! }
  type VoteTally { ballotId: ID! approve: Int! reject: Int! }
  type LedgerEntry @key(fields: "id", resolvable: false) { id: ID! }
  type Query { ballot(id: ID!): Ballot }
  type Subscription {
    voteTallyChanged(ballotId: ID!): VoteTally!
    ballotClosed(orgId: ID!): Ballot!
  }
`;

/** The ledger subgraph; `withConfirmations: false` drops `transactionConfirmed` (a schema reload in tests). */
export const ledgerSdl = (options: { withConfirmations: boolean } = { withConfirmations: true }) => `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type LedgerEntry @key(fields: "id") { id: ID! eventName: String! amount: String! }
  type ChainTransaction @key(fields: "txId") { txId: ID! status: String! }
  type Wallet { id: ID! }
  type Query {
    ledgerEntry(id: ID!): LedgerEntry
    chainTransaction(txId: ID!): ChainTransaction
    wallet(id: ID!): Wallet
  }
  type Subscription {
    ledgerEntryChanged(orgId: ID!): LedgerEntry!
    ${options.withConfirmations ? "transactionConfirmed(txId: ID!): ChainTransaction!" : ""}
    walletActivity(walletId: ID!): ChainTransaction!
  }
`;

interface SubgraphContext {
  viewer: Viewer;
}

const context = async ({ req }: { req: { headers: Record<string, string | string[] | undefined> } }) => {
  const header = req.headers[VIEWER_HEADER];
  // Subgraphs accept requests only from the gateway: a missing or forged header fails the request.
  return { viewer: verifyViewer(typeof header === "string" ? header : null, INTERNAL_SECRET) };
};

async function serve(typeDefs: string, resolvers: GraphQLResolverMap<SubgraphContext>) {
  const server = new ApolloServer<SubgraphContext>({
    schema: buildSubgraphSchema([{ typeDefs: parse(typeDefs), resolvers }]),
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  const { url } = await startStandaloneServer(server, { listen: { host: "127.0.0.1", port: 0 }, context });
  return { url, stop: () => server.stop() };
}

/** Starts the voting and ledger fixture subgraphs on ephemeral ports. */
export async function startFixtureSubgraphs(store: FixtureStore) {
  const voting = await serve(votingSdl, {
    Query: { ballot: (_: unknown, { id }: { id: string }) => store.ballots.get(id) ?? null },
    Ballot: {
      __resolveReference: (ref: { id: string }) => store.ballots.get(ref.id) ?? null,
      entry: (ballot: { entryId: string }) => ({ id: ballot.entryId }),
      tally: (ballot: { id: string; approve: number; reject: number }) => ({
        ballotId: ballot.id,
        approve: ballot.approve,
        reject: ballot.reject,
      }),
    },
  });
  const ledger = await serve(ledgerSdl(), {
    Query: {
      ledgerEntry: (_: unknown, { id }: { id: string }) => store.entries.get(id) ?? null,
      chainTransaction: (_: unknown, { txId }: { txId: string }) => store.transactions.get(txId) ?? null,
      wallet: (_: unknown, { id }: { id: string }, ctx: SubgraphContext) => {
        const owner = store.wallets.get(id);
        if (!owner) return null;
        if (owner !== ctx.viewer.sub && !ctx.viewer.roles.includes("ADMIN"))
          throw toGraphQLError(new AppError(ErrorCode.FORBIDDEN, "Not your wallet."));
        return { id };
      },
    },
    LedgerEntry: { __resolveReference: (ref: { id: string }) => store.entries.get(ref.id) ?? null },
    ChainTransaction: { __resolveReference: (ref: { txId: string }) => store.transactions.get(ref.txId) ?? null },
  });
  return {
    subgraphs: [
      { name: "voting", typeDefs: votingSdl, url: voting.url },
      { name: "ledger", typeDefs: ledgerSdl(), url: ledger.url },
    ],
    async stop() {
      await Promise.all([voting.stop(), ledger.stop()]);
    },
  };
}
