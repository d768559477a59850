import { cacheExchange, type KeyingConfig } from "@urql/exchange-graphcache";
import { persistedExchange } from "@urql/exchange-persisted";
import { createClient as createWsClient } from "graphql-ws";
import { Client, fetchExchange, subscriptionExchange } from "urql";
import { documentId, type SessionStore, tokenExpiry } from "./session.js";

/** Graphcache keys: the API's natural keys, and no identity for value types (embedded in their parent). */
const cacheKeys: KeyingConfig = {
  ChainTransaction: (t) => (t.txId as string | undefined) ?? null,
  Block: (b) => (b.number as number | undefined)?.toString() ?? null,
  VoteTally: (t) => (t.ballotId as string | undefined) ?? null,
  Membership: () => null,
  EntryActivity: () => null,
  ChainVerification: () => null,
  AuthPayload: () => null,
  VoteReceipt: () => null,
  EvidenceUpload: () => null,
  PageInfo: () => null,
  LedgerEntryConnection: () => null,
  LedgerEntryEdge: () => null,
  UserConnection: () => null,
  UserEdge: () => null,
};

/**
 * The app's GraphQL client for one signed-in identity (a new one on log-in and log-out, so no cached
 * data crosses users): Graphcache normalizes by the API's keys, every operation goes out as its
 * manifest id only, and subscriptions share one graphql-ws socket on the same origin.
 * @returns the client and a `dispose` that closes its socket.
 */
export function createAppClient(sessions: SessionStore): { client: Client; dispose(): void } {
  const wsUrl = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/graphql`;
  const ws = createWsClient({
    url: wsUrl,
    lazy: true,
    // Re-read on every (re)connect: a socket closed for an expired token comes back with the new one.
    connectionParams: async () => {
      let session = sessions.current;
      if (session && tokenExpiry(session.accessToken) * 1000 - Date.now() < 30_000) session = await sessions.refresh();
      return session ? { authorization: `Bearer ${session.accessToken}` } : {};
    },
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: () => true,
  });
  const client = new Client({
    url: "/graphql",
    fetchOptions: () => {
      const token = sessions.current?.accessToken;
      const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
      return { headers };
    },
    exchanges: [
      cacheExchange({
        keys: cacheKeys,
      }),
      persistedExchange({
        enforcePersistedQueries: true,
        enableForMutation: true,
        enableForSubscriptions: true,
        preferGetForPersistedQueries: false,
        generateHash: async (_query, document) => documentId(document),
      }),
      fetchExchange,
      subscriptionExchange({
        enableAllOperations: false,
        forwardSubscription: (request) => ({
          subscribe: (sink) => ({
            unsubscribe: ws.subscribe({ ...request, query: request.query ?? "" }, sink),
          }),
        }),
      }),
    ],
  });
  return { client, dispose: () => void ws.dispose() };
}
