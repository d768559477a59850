import { EventDomain, EventType } from "./domain-event.js";

/** Where the value of the refetch query's argument comes from. */
export type RefetchSource = { readonly arg: string } | { readonly event: string };

/**
 * How one `Subscription` field is served: which events wake it, which subscribers they concern,
 * and which root query, run through the federated executor, produces its result.
 */
export interface SubscriptionRoute {
  readonly field: string;
  readonly domain: EventDomain;
  readonly events: readonly EventType[];
  /** The subscription argument whose value must equal `event.data[eventKey]`. */
  readonly argument: string;
  readonly eventKey: string;
  /** The event field naming the entity that changed: the unit of conflation. */
  readonly entityKey: string;
  /** `query { <field>(<argument>: <source>) { <path…> { subscriber's selection } } }`. */
  readonly refetch: {
    readonly field: string;
    readonly argument: string;
    readonly source: RefetchSource;
    readonly path: readonly string[];
  };
  /**
   * `public`: results do not depend on who asks, so all subscribers share one execution, run as an
   * anonymous viewer. `viewer`: executed as the subscriber, shared only with the same user and roles.
   */
  readonly access: "public" | "viewer";
  /**
   * Run at subscribe time as the subscriber: `<field>(<argument>: <subscription argument>) { __typename }`;
   * an error or null refuses the subscription (e.g. only a wallet's owner may watch it).
   */
  readonly check?: { readonly field: string; readonly argument: string };
}

const route = (r: SubscriptionRoute): SubscriptionRoute => r;

/** The subscription fields of the public API (api/schema.graphql) and how each is served. */
export const subscriptionRoutes: ReadonlyMap<string, SubscriptionRoute> = new Map(
  [
    route({
      field: "voteTallyChanged",
      domain: EventDomain.voting,
      events: [EventType.VoteTallyChanged],
      argument: "ballotId",
      eventKey: "ballotId",
      entityKey: "ballotId",
      refetch: { field: "ballot", argument: "id", source: { arg: "ballotId" }, path: ["tally"] },
      access: "public",
    }),
    route({
      field: "ballotClosed",
      domain: EventDomain.voting,
      events: [EventType.BallotClosed],
      argument: "orgId",
      eventKey: "orgId",
      entityKey: "ballotId",
      refetch: { field: "ballot", argument: "id", source: { event: "ballotId" }, path: [] },
      access: "public",
    }),
    route({
      field: "ledgerEntryChanged",
      domain: EventDomain.ledger,
      events: [EventType.LedgerEntryChanged],
      argument: "orgId",
      eventKey: "orgId",
      entityKey: "entryId",
      refetch: { field: "ledgerEntry", argument: "id", source: { event: "entryId" }, path: [] },
      access: "public",
    }),
    route({
      field: "transactionConfirmed",
      domain: EventDomain.chain,
      events: [EventType.TransactionCommitted, EventType.TransactionRejected],
      argument: "txId",
      eventKey: "txId",
      entityKey: "txId",
      refetch: { field: "chainTransaction", argument: "txId", source: { arg: "txId" }, path: [] },
      access: "public",
    }),
    route({
      field: "walletActivity",
      domain: EventDomain.wallet,
      events: [EventType.WalletActivity],
      argument: "walletId",
      eventKey: "walletId",
      entityKey: "txId",
      refetch: { field: "chainTransaction", argument: "txId", source: { event: "txId" }, path: [] },
      access: "viewer",
      check: { field: "wallet", argument: "id" },
    }),
    route({
      field: "orderUpdated",
      domain: EventDomain.marketplace,
      events: [EventType.OrderUpdated],
      argument: "orderId",
      eventKey: "orderId",
      entityKey: "orderId",
      refetch: { field: "order", argument: "id", source: { arg: "orderId" }, path: [] },
      access: "viewer",
      check: { field: "order", argument: "id" },
    }),
    route({
      field: "dropStockChanged",
      domain: EventDomain.marketplace,
      events: [EventType.DropStockChanged],
      argument: "dropId",
      eventKey: "dropId",
      entityKey: "dropId",
      refetch: { field: "drop", argument: "id", source: { arg: "dropId" }, path: [] },
      access: "public",
    }),
    route({
      field: "withdrawalStatusChanged",
      domain: EventDomain.withdrawal,
      events: [EventType.WithdrawalStatusChanged],
      argument: "id",
      eventKey: "id",
      entityKey: "id",
      refetch: { field: "withdrawal", argument: "id", source: { arg: "id" }, path: [] },
      access: "viewer",
      check: { field: "withdrawal", argument: "id" },
    }),
  ].map((r) => [r.field, r]),
);
