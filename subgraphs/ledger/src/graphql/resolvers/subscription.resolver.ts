import { Arg, ID, Resolver, Root, Subscription } from "type-graphql";
import { ChainTransactionType } from "../types/chain.type.js";
import { LedgerEntryType } from "../types/ledger-entry.type.js";

/**
 * Subscription fields exist here so they compose into the supergraph; the gateway's realtime layer
 * serves them from `evt:ledger` (LedgerEntryChanged → `ledgerEntry(id)`) and `evt:chain`
 * (TransactionCommitted → `chainTransaction(txId)`). This subgraph never runs them itself.
 */
@Resolver()
export class LedgerSubscriptionResolver {
  @Subscription(() => LedgerEntryType, {
    topics: "ledgerEntryChanged",
    description:
      "Every change to an entry of the organization (submitted, committed, decided, rejected by the chain). " +
      "Over graphql-ws; resumable from the last event id.",
  })
  ledgerEntryChanged(
    @Arg("orgId", () => ID, { description: "The organization to follow." }) _orgId: string,
    @Root() entry: LedgerEntryType,
  ): LedgerEntryType {
    return entry;
  }

  @Subscription(() => ChainTransactionType, {
    topics: "transactionConfirmed",
    description: "Pushes the transaction once a block holds it (COMMITTED or REJECTED). Over graphql-ws.",
  })
  transactionConfirmed(
    @Arg("txId", () => ID, { description: "The transaction id a write returned." }) _txId: string,
    @Root() tx: ChainTransactionType,
  ): ChainTransactionType {
    return tx;
  }
}
