import type { Account, Burn, LedgerEntry, SpendingPayout } from "../api/documents.js";
import { BurnKind, EntryKind, EntryStatus } from "../api/documents.js";
import { IdentityRole } from "../api/protocol.js";
import { treasuryAddress } from "../api/transactions.js";
import { getEntry } from "../ledger/entries.js";
import { getMember } from "../org/membership.js";
import type { Caller, ClearbookContext } from "../shared/context.js";
import { fail } from "../shared/errors.js";
import { KeyType } from "../shared/keys.js";
import { credit, debit, getAccount } from "./accounts.js";

/**
 * Pays an APPROVED spending entry from its organization's treasury, once (the entry becomes
 * PAID). A payee that is an account on the chain is credited; any other payee address is
 * off-chain, so the amount is burned under the id `spending:<entryId>` and the withdrawal
 * pipeline sends it. Callers: the council, a platform service, or an admin.
 */
export async function payoutSpending(ctx: ClearbookContext, caller: Caller, entryId: string): Promise<SpendingPayout> {
  const approved = await getEntry(ctx, entryId);
  if (approved.kind !== EntryKind.SPENDING) throw fail.badInput("entryId", `entry ${entryId} is not spending`);
  const member = await getMember(ctx, approved.orgId, caller.userId);
  if (!member?.council && caller.role !== IdentityRole.SERVICE && caller.role !== IdentityRole.ADMIN) {
    throw fail.forbidden("only the council, a platform service or an admin may pay out spending");
  }
  if (approved.status === EntryStatus.PAID) throw fail.alreadyUsed("spending payout", entryId);
  if (approved.status !== EntryStatus.APPROVED) throw fail.conflict(`entry ${entryId} is ${approved.status}`);
  const amount = BigInt(approved.amount);
  const payeeAddress = approved.payeeAddress ?? "";
  const treasury = await debit(ctx, await getAccount(ctx, treasuryAddress(approved.orgId)), amount);
  const payeeAccount = await ctx.read(KeyType.ACCOUNT, payeeAddress);
  const now = ctx.now();
  let burn: Burn | null = null;
  let payee: Account | null = null;
  if (payeeAccount) {
    payee = await credit(ctx, payeeAccount, amount);
  } else {
    burn = {
      burnId: `spending:${entryId}`,
      kind: BurnKind.SPENDING_PAYOUT,
      address: treasury.address,
      toAddress: payeeAddress,
      amount: approved.amount,
      burnedBy: caller.userId,
      at: now,
    };
    await ctx.write(KeyType.BURN, [burn.burnId], burn);
  }
  const entry: LedgerEntry = { ...approved, status: EntryStatus.PAID, paidAt: now };
  await ctx.write(KeyType.ENTRY, [entryId], entry);
  return { entry, treasury, payee, burn };
}
