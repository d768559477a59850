import { common } from "@hyperledger/fabric-protos";
import type { ChainClient } from "./chain-client.types.js";

/**
 * The last block below `height` with a valid transaction (whose chaincode event an indexer must see),
 * looking back at most `lookBack` blocks; 0 when there is none (only the genesis block's config).
 */
export async function lastTransactionBlock(
  chain: Pick<ChainClient, "block">,
  height: bigint,
  lookBack = 200,
): Promise<bigint> {
  for (let n = height - 1n; n > 0n && n >= height - BigInt(lookBack); n--) {
    const filter = (await chain.block(n)).getMetadata()?.getMetadataList_asU8()[
      common.BlockMetadataIndex.TRANSACTIONS_FILTER
    ];
    if (filter?.some((code) => code === 0)) return n;
  }
  return 0n;
}

export interface CatchUpOptions {
  chain: Pick<ChainClient, "block" | "height">;
  /** The consumer's checkpoint block (re-read on each poll), undefined before its first event. */
  position(): Promise<bigint | undefined>;
  /** Told the progress about once a second, e.g. "block 34 of 60". */
  say(line: string): void;
  /** Gives up with an error after this long without the checkpoint moving. Default 30 s. */
  stallMs?: number;
}

/**
 * Waits until a consumer rebuilding from block 0 has read up to the chain's last transaction as it
 * stood when called. @returns that block. @throws when the checkpoint stops moving for `stallMs`.
 */
export async function waitForCatchUp(options: CatchUpOptions): Promise<bigint> {
  const height = await options.chain.height();
  const target = await lastTransactionBlock(options.chain, height);
  const stallMs = options.stallMs ?? 30_000;
  let last: bigint | undefined;
  let movedAt = Date.now();
  let saidAt = 0;
  for (;;) {
    const at = await options.position();
    if (at !== last) {
      last = at;
      movedAt = Date.now();
    }
    if (target === 0n || (at !== undefined && at >= target)) {
      options.say(`block ${target} of ${height - 1n}: caught up`);
      return target;
    }
    if (Date.now() - saidAt >= 1_000) {
      saidAt = Date.now();
      options.say(`block ${at ?? 0n} of ${target}`);
    }
    if (Date.now() - movedAt > stallMs)
      throw new Error(`stalled at block ${at ?? 0n} of ${target} for ${stallMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
