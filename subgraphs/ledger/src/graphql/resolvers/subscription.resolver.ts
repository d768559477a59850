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
  @Subscription(() => LedgerEntryType, { topics: "ledgerEntryChanged" })
  ledgerEntryChanged(@Arg("orgId", () => ID) _orgId: string, @Root() entry: LedgerEntryType): LedgerEntryType {
    return entry;
  }

  @Subscription(() => ChainTransactionType, { topics: "transactionConfirmed" })
  transactionConfirmed(@Arg("txId", () => ID) _txId: string, @Root() tx: ChainTransactionType): ChainTransactionType {
    return tx;
  }
}
