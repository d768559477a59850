import type { Account } from "../api/documents.js";
import { AccountKind } from "../api/documents.js";
import { treasuryAddress } from "../api/transactions.js";
import type { ClearbookContext } from "../shared/context.js";
import { fail } from "../shared/errors.js";
import { KeyType } from "../shared/keys.js";
import { parseStoredAmount } from "../shared/parse.js";
import type { AccountOwner } from "../shared/state.js";

/** Balance arithmetic on account documents: one key per account, never negative. */

export async function getAccount(ctx: ClearbookContext, address: string): Promise<Account> {
  const account = await ctx.read(KeyType.ACCOUNT, address);
  if (!account) throw fail.notFound("account", address);
  return account;
}

/** Who owns an account, without reading (and so without conflicting on) its balance. */
export async function getAccountOwner(ctx: ClearbookContext, address: string): Promise<AccountOwner> {
  const owner = await ctx.read(KeyType.ACCOUNT_OWNER, address);
  if (!owner) throw fail.notFound("account", address);
  return owner;
}

/** Writes a new account and its owner marker. */
export async function openAccount(ctx: ClearbookContext, account: Account): Promise<void> {
  await ctx.write(KeyType.ACCOUNT, [account.address], account);
  await ctx.write(KeyType.ACCOUNT_OWNER, [account.address], { kind: account.kind, owner: account.owner });
}

export function newTreasury(orgId: string, openedAt: string): Account {
  return { address: treasuryAddress(orgId), kind: AccountKind.TREASURY, owner: null, orgId, balance: "0", openedAt };
}

export async function credit(ctx: ClearbookContext, account: Account, amount: bigint): Promise<Account> {
  const updated = { ...account, balance: (parseStoredAmount(account.balance) + amount).toString() };
  await ctx.write(KeyType.ACCOUNT, [account.address], updated);
  return updated;
}

/** Throws INSUFFICIENT_FUNDS rather than let a balance go below zero. */
export async function debit(ctx: ClearbookContext, account: Account, amount: bigint): Promise<Account> {
  const balance = parseStoredAmount(account.balance);
  if (balance < amount) throw fail.insufficientFunds(account.address, balance, amount);
  const updated = { ...account, balance: (balance - amount).toString() };
  await ctx.write(KeyType.ACCOUNT, [account.address], updated);
  return updated;
}

/** Only the user who opened a wallet may spend from it. Treasuries are never spent this way. */
export function requireOwner(account: AccountOwner & { address: string }, userId: string): void {
  if (account.kind !== AccountKind.WALLET || account.owner !== userId) {
    throw fail.forbidden(`user ${userId} does not own account ${account.address}`);
  }
}
