import type { Supply } from "../api/documents.js";
import { EscrowStatus } from "../api/documents.js";
import type { ClearbookContext } from "../shared/context.js";
import { KeyType } from "../shared/keys.js";
import { parseStoredAmount } from "../shared/parse.js";

/**
 * Supply totals derived from the mint, burn and escrow records. No running counter: a supply key
 * rewritten by every mint and burn would be the MVCC hot spot the design avoids.
 */
export async function supplyOf(ctx: ClearbookContext): Promise<Supply> {
  let minted = 0n;
  let burned = 0n;
  let escrowed = 0n;
  for (const { value } of await ctx.list(KeyType.MINT)) minted += parseStoredAmount(value.amount);
  for (const { value } of await ctx.list(KeyType.BURN)) burned += parseStoredAmount(value.amount);
  for (const { value } of await ctx.list(KeyType.ESCROW)) {
    if (value.status === EscrowStatus.LOCKED) escrowed += parseStoredAmount(value.amount);
  }
  return {
    minted: minted.toString(),
    burned: burned.toString(),
    outstanding: (minted - burned).toString(),
    escrowed: escrowed.toString(),
  };
}
