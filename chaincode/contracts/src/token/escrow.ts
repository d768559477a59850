import type { Escrow, EscrowResult } from "../api/documents.js";
import { EscrowStatus } from "../api/documents.js";
import { IdentityRole } from "../api/protocol.js";
import type { Caller, ClearbookContext } from "../shared/context.js";
import { fail } from "../shared/errors.js";
import { KeyType } from "../shared/keys.js";
import { credit, debit, getAccount, getAccountOwner, requireOwner } from "./accounts.js";

/**
 * Escrow for marketplace orders. A lock writes only the buyer's balance and a new escrow key
 * (the seller is checked through its owner marker), so a drop's many concurrent locks toward
 * one seller do not conflict; settling writes only the receiving balance and the escrow.
 */

export async function lockEscrow(
  ctx: ClearbookContext,
  caller: Caller,
  orderId: string,
  buyerAddress: string,
  sellerAddress: string,
  amount: bigint,
): Promise<EscrowResult> {
  if (await ctx.exists(KeyType.ESCROW, orderId)) throw fail.alreadyUsed("order id", orderId);
  const buyer = await getAccount(ctx, buyerAddress);
  requireOwner(buyer, caller.userId);
  const seller = await getAccountOwner(ctx, sellerAddress);
  if (!seller.owner) throw fail.badInput("sellerAddress", "must be a wallet");
  const account = await debit(ctx, buyer, amount);
  const escrow: Escrow = {
    orderId,
    buyerAddress,
    buyerUserId: caller.userId,
    sellerAddress,
    sellerUserId: seller.owner,
    amount: amount.toString(),
    status: EscrowStatus.LOCKED,
    lockedAt: ctx.now(),
    settledAt: null,
    settledBy: null,
  };
  await ctx.write(KeyType.ESCROW, [orderId], escrow);
  return { escrow, account };
}

/**
 * Settles a LOCKED escrow once. RELEASED pays the seller (the buyer, or an admin settling a
 * dispute); REFUNDED pays the buyer back (the seller, a platform service running a saga's
 * compensation, or an admin).
 */
export async function settleEscrow(
  ctx: ClearbookContext,
  caller: Caller,
  orderId: string,
  status: typeof EscrowStatus.RELEASED | typeof EscrowStatus.REFUNDED,
): Promise<EscrowResult> {
  const locked = await ctx.read(KeyType.ESCROW, orderId);
  if (!locked) throw fail.notFound("escrow", orderId);
  if (locked.status !== EscrowStatus.LOCKED) throw fail.alreadyUsed("escrow", `${orderId} (${locked.status})`);
  const admin = caller.role === IdentityRole.ADMIN;
  if (status === EscrowStatus.RELEASED && caller.userId !== locked.buyerUserId && !admin) {
    throw fail.forbidden("only the buyer may release an escrow");
  }
  if (
    status === EscrowStatus.REFUNDED &&
    caller.userId !== locked.sellerUserId &&
    caller.role !== IdentityRole.SERVICE &&
    !admin
  ) {
    throw fail.forbidden("only the seller, a platform service or an admin may refund an escrow");
  }
  const to = status === EscrowStatus.RELEASED ? locked.sellerAddress : locked.buyerAddress;
  const account = await credit(ctx, await getAccount(ctx, to), BigInt(locked.amount));
  const escrow: Escrow = { ...locked, status, settledAt: ctx.now(), settledBy: caller.userId };
  await ctx.write(KeyType.ESCROW, [orderId], escrow);
  return { escrow, account };
}
