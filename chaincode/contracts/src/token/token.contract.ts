import { Info, Returns, Transaction } from "fabric-contract-api";
import type { Account, Burn, Mint } from "../api/documents.js";
import { AccountKind, BurnKind, EscrowStatus, MintKind } from "../api/documents.js";
import { EventName } from "../api/events.js";
import { ContractName, treasuryAddress } from "../api/transactions.js";
import { requireAdmin } from "../org/membership.js";
import { ClearbookContract } from "../shared/base.contract.js";
import { ClearbookContext } from "../shared/context.js";
import { fail } from "../shared/errors.js";
import { KeyType } from "../shared/keys.js";
import { parseAmount, parseId, parseWalletAddress } from "../shared/parse.js";
import { credit, debit, getAccount, openAccount, requireOwner } from "./accounts.js";
import { lockEscrow, settleEscrow } from "./escrow.js";
import { payoutSpending } from "./payout.js";
import { supplyOf } from "./supply.js";

/**
 * Accounts and money. Every amount that enters the chain is a mint (an approved top-up or
 * deposit) and every amount that leaves it a burn, each under its own id, usable once; so
 * sum(balances) + sum(LOCKED escrows) = sum(mints) − sum(burns) at every commit.
 */
@Info({ title: "token", description: "Accounts, transfers, escrow, mints and burns" })
export class TokenContract extends ClearbookContract {
  constructor() {
    super(ContractName.TOKEN);
  }

  /** Opens a wallet account owned by the caller. */
  @Transaction()
  @Returns("string")
  async OpenAccount(ctx: ClearbookContext, address: string): Promise<string> {
    const caller = ctx.caller();
    const id = parseWalletAddress("address", address);
    if (await ctx.exists(KeyType.ACCOUNT, id)) throw fail.alreadyUsed("account address", id);
    const account: Account = {
      address: id,
      kind: AccountKind.WALLET,
      owner: caller.userId,
      orgId: null,
      balance: "0",
      openedAt: ctx.now(),
    };
    await openAccount(ctx, account);
    ctx.emit(EventName.TokenAccountOpened, { account });
    return this.result(account);
  }

  /** A top-up approved by a platform admin; the mint id (the top-up's id) is usable once. */
  @Transaction()
  @Returns("string")
  async Mint(ctx: ClearbookContext, mintId: string, address: string, amount: string): Promise<string> {
    const caller = ctx.caller();
    requireAdmin(caller);
    const id = parseId("mintId", mintId);
    if (id.startsWith("deposit:"))
      throw fail.badInput("mintId", "the deposit: prefix is reserved for approved deposits");
    const to = parseWalletAddress("address", address);
    const value = parseAmount("amount", amount);
    if (await ctx.exists(KeyType.MINT, id)) throw fail.alreadyUsed("mint id", id);
    const account = await credit(ctx, await getAccount(ctx, to), value);
    const mint: Mint = {
      mintId: id,
      kind: MintKind.TOP_UP,
      address: to,
      amount: value.toString(),
      approvedBy: caller.userId,
      at: ctx.now(),
    };
    await ctx.write(KeyType.MINT, [id], mint);
    ctx.emit(EventName.TokenMinted, { mint, account });
    return this.result({ mint, account });
  }

  @Transaction()
  @Returns("string")
  async Transfer(
    ctx: ClearbookContext,
    transferId: string,
    fromAddress: string,
    toAddress: string,
    amount: string,
  ): Promise<string> {
    const caller = ctx.caller();
    const id = parseId("transferId", transferId);
    const from = parseWalletAddress("fromAddress", fromAddress);
    const to = parseId("toAddress", toAddress);
    const value = parseAmount("amount", amount);
    if (from === to) throw fail.badInput("toAddress", "must differ from fromAddress");
    if (await ctx.exists(KeyType.TRANSFER, id)) throw fail.alreadyUsed("transfer id", id);
    const source = await getAccount(ctx, from);
    requireOwner(source, caller.userId);
    const target = await getAccount(ctx, to);
    const transfer = {
      transferId: id,
      from: await debit(ctx, source, value),
      to: await credit(ctx, target, value),
      amount: value.toString(),
    };
    await ctx.write(KeyType.TRANSFER, [id], { transferId: id, from, to, amount: transfer.amount, at: ctx.now() });
    ctx.emit(EventName.TokenTransferred, transfer);
    return this.result(transfer);
  }

  /** The buyer moves the order's amount from their wallet into escrow; the order id is usable once. */
  @Transaction()
  @Returns("string")
  async LockEscrow(
    ctx: ClearbookContext,
    orderId: string,
    buyerAddress: string,
    sellerAddress: string,
    amount: string,
  ): Promise<string> {
    const caller = ctx.caller();
    const id = parseId("orderId", orderId);
    const buyer = parseWalletAddress("buyerAddress", buyerAddress);
    const seller = parseWalletAddress("sellerAddress", sellerAddress);
    const value = parseAmount("amount", amount);
    if (buyer === seller) throw fail.badInput("sellerAddress", "must differ from buyerAddress");
    const result = await lockEscrow(ctx, caller, id, buyer, seller, value);
    ctx.emit(EventName.TokenEscrowLocked, result);
    return this.result(result);
  }

  /** Pays the seller on the buyer's confirmation (the buyer, or a platform admin settling a dispute). */
  @Transaction()
  @Returns("string")
  async ReleaseEscrow(ctx: ClearbookContext, orderId: string): Promise<string> {
    const result = await settleEscrow(ctx, ctx.caller(), parseId("orderId", orderId), EscrowStatus.RELEASED);
    ctx.emit(EventName.TokenEscrowReleased, result);
    return this.result(result);
  }

  /** Returns the money to the buyer: the seller, a platform service (a saga's compensation) or an admin. */
  @Transaction()
  @Returns("string")
  async RefundEscrow(ctx: ClearbookContext, orderId: string): Promise<string> {
    const result = await settleEscrow(ctx, ctx.caller(), parseId("orderId", orderId), EscrowStatus.REFUNDED);
    ctx.emit(EventName.TokenEscrowRefunded, result);
    return this.result(result);
  }

  /** The owner takes money off the chain for a withdrawal; the withdrawal id is usable once. */
  @Transaction()
  @Returns("string")
  async BurnForWithdrawal(
    ctx: ClearbookContext,
    withdrawalId: string,
    address: string,
    amount: string,
    toAddress: string,
  ): Promise<string> {
    const caller = ctx.caller();
    const id = parseId("withdrawalId", withdrawalId);
    if (id.startsWith("spending:")) throw fail.badInput("withdrawalId", "the spending: prefix is reserved for payouts");
    const from = parseWalletAddress("address", address);
    const value = parseAmount("amount", amount);
    const destination = parseId("toAddress", toAddress);
    if (await ctx.exists(KeyType.BURN, id)) throw fail.alreadyUsed("withdrawal id", id);
    const source = await getAccount(ctx, from);
    requireOwner(source, caller.userId);
    const account = await debit(ctx, source, value);
    const burn: Burn = {
      burnId: id,
      kind: BurnKind.WITHDRAWAL,
      address: from,
      toAddress: destination,
      amount: value.toString(),
      burnedBy: caller.userId,
      at: ctx.now(),
    };
    await ctx.write(KeyType.BURN, [id], burn);
    ctx.emit(EventName.TokenBurned, { burn, account });
    return this.result({ burn, account });
  }

  /** Pays approved spending from the treasury, once per entry (see payout.ts). */
  @Transaction()
  @Returns("string")
  async PayoutSpending(ctx: ClearbookContext, entryId: string): Promise<string> {
    const payout = await payoutSpending(ctx, ctx.caller(), parseId("entryId", entryId));
    ctx.emit(EventName.TokenSpendingPaid, payout);
    return this.result(payout);
  }

  @Transaction(false)
  @Returns("string")
  async GetAccount(ctx: ClearbookContext, address: string): Promise<string> {
    return this.result(await getAccount(ctx, parseId("address", address)));
  }

  @Transaction(false)
  @Returns("string")
  async GetTreasury(ctx: ClearbookContext, orgId: string): Promise<string> {
    return this.result(await getAccount(ctx, treasuryAddress(parseId("orgId", orgId))));
  }

  @Transaction(false)
  @Returns("string")
  async GetEscrow(ctx: ClearbookContext, orderId: string): Promise<string> {
    const id = parseId("orderId", orderId);
    const escrow = await ctx.read(KeyType.ESCROW, id);
    if (!escrow) throw fail.notFound("escrow", id);
    return this.result(escrow);
  }

  @Transaction(false)
  @Returns("string")
  async GetMint(ctx: ClearbookContext, mintId: string): Promise<string> {
    const id = parseId("mintId", mintId);
    if (id.startsWith("deposit:"))
      throw fail.badInput("mintId", "the deposit: prefix is reserved for approved deposits");
    const mint = await ctx.read(KeyType.MINT, id);
    if (!mint) throw fail.notFound("mint", id);
    return this.result(mint);
  }

  @Transaction(false)
  @Returns("string")
  async GetBurn(ctx: ClearbookContext, burnId: string): Promise<string> {
    const id = parseId("burnId", burnId);
    const burn = await ctx.read(KeyType.BURN, id);
    if (!burn) throw fail.notFound("burn", id);
    return this.result(burn);
  }

  /** Totals by range reads over mints, burns and escrows (evaluate only: it reads every record). */
  @Transaction(false)
  @Returns("string")
  async GetSupply(ctx: ClearbookContext): Promise<string> {
    return this.result(await supplyOf(ctx));
  }
}
