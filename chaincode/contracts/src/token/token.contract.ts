import { Info, Returns, Transaction } from "fabric-contract-api";
import type { Account, Burn, Escrow, EscrowResult, LedgerEntry, Mint, SpendingPayout } from "../api/documents.js";
import {
  AccountKind,
  BurnKind,
  EntryKind,
  EntryStatus,
  EscrowStatus,
  IdentityRole,
  MintKind,
} from "../api/documents.js";
import { EventName } from "../api/events.js";
import { ContractName, treasuryAddress } from "../api/transactions.js";
import { getEntry } from "../ledger/entries.js";
import { getMember, requireAdmin } from "../org/membership.js";
import { ClearbookContract } from "../shared/base.contract.js";
import type { Caller } from "../shared/context.js";
import { ClearbookContext } from "../shared/context.js";
import { fail } from "../shared/errors.js";
import { KeyType } from "../shared/keys.js";
import { parseAmount, parseId, parseWalletAddress } from "../shared/parse.js";
import { credit, debit, getAccount, requireOwner } from "./accounts.js";
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
    await ctx.write(KeyType.ACCOUNT, [id], account);
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
    if (await ctx.exists(KeyType.ESCROW, id)) throw fail.alreadyUsed("order id", id);
    const source = await getAccount(ctx, buyer);
    requireOwner(source, caller.userId);
    await getAccount(ctx, seller);
    const account = await debit(ctx, source, value);
    const escrow: Escrow = {
      orderId: id,
      buyerAddress: buyer,
      sellerAddress: seller,
      amount: value.toString(),
      status: EscrowStatus.LOCKED,
      lockedAt: ctx.now(),
      settledAt: null,
      settledBy: null,
    };
    await ctx.write(KeyType.ESCROW, [id], escrow);
    ctx.emit(EventName.TokenEscrowLocked, { escrow, account });
    return this.result({ escrow, account });
  }

  /** Pays the seller on the buyer's confirmation (the buyer, or a platform admin settling a dispute). */
  @Transaction()
  @Returns("string")
  async ReleaseEscrow(ctx: ClearbookContext, orderId: string): Promise<string> {
    const caller = ctx.caller();
    const locked = await this.lockedEscrow(ctx, orderId);
    const buyer = await getAccount(ctx, locked.buyerAddress);
    if (buyer.owner !== caller.userId && caller.role !== IdentityRole.ADMIN) {
      throw fail.forbidden("only the buyer may release an escrow");
    }
    const result = await this.settle(ctx, locked, EscrowStatus.RELEASED, locked.sellerAddress, caller);
    ctx.emit(EventName.TokenEscrowReleased, result);
    return this.result(result);
  }

  /** Returns the money to the buyer: the seller, a platform service (a saga's compensation) or an admin. */
  @Transaction()
  @Returns("string")
  async RefundEscrow(ctx: ClearbookContext, orderId: string): Promise<string> {
    const caller = ctx.caller();
    const locked = await this.lockedEscrow(ctx, orderId);
    const seller = await getAccount(ctx, locked.sellerAddress);
    if (seller.owner !== caller.userId && caller.role !== IdentityRole.SERVICE && caller.role !== IdentityRole.ADMIN) {
      throw fail.forbidden("only the seller, a platform service or an admin may refund an escrow");
    }
    const result = await this.settle(ctx, locked, EscrowStatus.REFUNDED, locked.buyerAddress, caller);
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

  /**
   * Pays an APPROVED spending entry from its organization's treasury, once (the entry becomes
   * PAID). A payee that is an account on the chain is credited; any other payee address is
   * off-chain, so the amount is burned under the id `spending:<entryId>`.
   */
  @Transaction()
  @Returns("string")
  async PayoutSpending(ctx: ClearbookContext, entryId: string): Promise<string> {
    const caller = ctx.caller();
    const approved = await getEntry(ctx, parseId("entryId", entryId));
    if (approved.kind !== EntryKind.SPENDING)
      throw fail.badInput("entryId", `entry ${approved.entryId} is not spending`);
    const member = await getMember(ctx, approved.orgId, caller.userId);
    if (!member?.council && caller.role !== IdentityRole.SERVICE && caller.role !== IdentityRole.ADMIN) {
      throw fail.forbidden("only the council, a platform service or an admin may pay out spending");
    }
    if (approved.status === EntryStatus.PAID) throw fail.alreadyUsed("spending payout", approved.entryId);
    if (approved.status !== EntryStatus.APPROVED)
      throw fail.conflict(`entry ${approved.entryId} is ${approved.status}`);
    const value = BigInt(approved.amount);
    const payeeAddress = approved.payeeAddress ?? "";
    const treasury = await debit(ctx, await getAccount(ctx, treasuryAddress(approved.orgId)), value);
    const payeeAccount = await ctx.read<Account>(KeyType.ACCOUNT, payeeAddress);
    const now = ctx.now();
    let burn: Burn | null = null;
    if (!payeeAccount) {
      burn = {
        burnId: `spending:${approved.entryId}`,
        kind: BurnKind.SPENDING_PAYOUT,
        address: treasury.address,
        toAddress: payeeAddress,
        amount: approved.amount,
        burnedBy: caller.userId,
        at: now,
      };
      await ctx.write(KeyType.BURN, [burn.burnId], burn);
    }
    const payee = payeeAccount ? await credit(ctx, payeeAccount, value) : null;
    const entry: LedgerEntry = { ...approved, status: EntryStatus.PAID, paidAt: now };
    await ctx.write(KeyType.ENTRY, [entry.entryId], entry);
    const payout: SpendingPayout = { entry, treasury, payee, burn };
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
    const escrow = await ctx.read<Escrow>(KeyType.ESCROW, id);
    if (!escrow) throw fail.notFound("escrow", id);
    return this.result(escrow);
  }

  @Transaction(false)
  @Returns("string")
  async GetMint(ctx: ClearbookContext, mintId: string): Promise<string> {
    const id = parseId("mintId", mintId);
    const mint = await ctx.read<Mint>(KeyType.MINT, id);
    if (!mint) throw fail.notFound("mint", id);
    return this.result(mint);
  }

  @Transaction(false)
  @Returns("string")
  async GetBurn(ctx: ClearbookContext, burnId: string): Promise<string> {
    const id = parseId("burnId", burnId);
    const burn = await ctx.read<Burn>(KeyType.BURN, id);
    if (!burn) throw fail.notFound("burn", id);
    return this.result(burn);
  }

  /** Totals by range reads over mints, burns and escrows (evaluate only: it reads every record). */
  @Transaction(false)
  @Returns("string")
  async GetSupply(ctx: ClearbookContext): Promise<string> {
    return this.result(await supplyOf(ctx));
  }

  private async lockedEscrow(ctx: ClearbookContext, orderId: string): Promise<Escrow> {
    const id = parseId("orderId", orderId);
    const escrow = await ctx.read<Escrow>(KeyType.ESCROW, id);
    if (!escrow) throw fail.notFound("escrow", id);
    if (escrow.status !== EscrowStatus.LOCKED) throw fail.alreadyUsed("escrow", `${id} (${escrow.status})`);
    return escrow;
  }

  private async settle(
    ctx: ClearbookContext,
    locked: Escrow,
    status: EscrowStatus,
    toAddress: string,
    caller: Caller,
  ): Promise<EscrowResult> {
    const account = await credit(ctx, await getAccount(ctx, toAddress), BigInt(locked.amount));
    const escrow: Escrow = { ...locked, status, settledAt: ctx.now(), settledBy: caller.userId };
    await ctx.write(KeyType.ESCROW, [escrow.orderId], escrow);
    return { escrow, account };
  }
}
