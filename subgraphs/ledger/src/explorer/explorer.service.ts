import { errors } from "@clearbook/kit";
import type { EntityManager } from "@mikro-orm/mariadb";
import type { ChainBlock, ChainReads } from "../chain/chain.port.js";
import { ChainTransactionEntity } from "../db/chain-transaction.entity.js";
import { blockDataHash, blockHeaderHash } from "./block-hash.js";
import type { CallLimiter } from "./call-limiter.js";

export interface ExplorerBlock extends Omit<ChainBlock, "data"> {
  hash: string;
}

export interface ChainVerification {
  ok: boolean;
  checkedBlocks: number;
  firstBadBlock: number | null;
}

/** Most blocks one `verifyChain` call reads (each is a peer query); clients page with `fromBlock`. */
export const MAX_BLOCKS_PER_CALL = 1_000;

/**
 * The block and transaction explorer, and chain verification: header hashes and data hashes are
 * recomputed here from the peer's blocks, never taken from it.
 */
export function createExplorerService(deps: { reads: ChainReads; verifyLimiter?: CallLimiter }) {
  const view = (block: ChainBlock): ExplorerBlock => {
    const { data: _data, ...rest } = block;
    return { ...rest, hash: blockHeaderHash(block.number, block.previousHash, block.dataHash) };
  };

  return {
    async block(number: number): Promise<ExplorerBlock | null> {
      if (!Number.isInteger(number) || number < 0)
        throw errors.badInput("The block number must be 0 or more.", "number");
      const block = await deps.reads.block(number);
      return block ? view(block) : null;
    },

    /** The last `last` blocks, newest first. */
    async blocks(last: number): Promise<ExplorerBlock[]> {
      if (!Number.isInteger(last) || last < 1 || last > 100)
        throw errors.badInput("last must be between 1 and 100.", "last");
      const height = await deps.reads.height();
      const numbers = Array.from({ length: Math.min(last, height) }, (_, i) => height - 1 - i);
      const blocks = await Promise.all(numbers.map((n) => deps.reads.block(n)));
      return blocks.filter((b): b is ChainBlock => b !== null).map(view);
    },

    /**
     * Recomputes each block's data hash and checks that each block's previous hash is the
     * recomputed header hash of the block before it, for at most `MAX_BLOCKS_PER_CALL` blocks from
     * `fromBlock` (default 0); `caller` (a user id or an address) is rate limited.
     * @returns the first block where either fails, or ok with the number of blocks checked.
     * @throws AppError BAD_USER_INPUT for a range longer than the bound, RATE_LIMITED.
     */
    async verify(fromBlock: number | null, toBlock: number | null, caller = "anonymous"): Promise<ChainVerification> {
      const wait = (await deps.verifyLimiter?.consume(caller)) ?? 0;
      if (wait > 0) throw errors.rateLimited(wait);
      const height = await deps.reads.height();
      const from = Math.max(0, fromBlock ?? 0);
      const to = Math.min(height - 1, toBlock ?? from + MAX_BLOCKS_PER_CALL - 1);
      if (to - from + 1 > MAX_BLOCKS_PER_CALL) {
        throw errors.badInput(`Verify at most ${MAX_BLOCKS_PER_CALL} blocks per call.`, "toBlock");
      }
      let previous: ChainBlock | null = from > 0 ? await deps.reads.block(from - 1) : null;
      let checked = 0;
      for (let n = from; n <= to; n++) {
        const block = await deps.reads.block(n);
        checked++;
        const bad =
          !block ||
          block.number !== n ||
          blockDataHash(block.data) !== block.dataHash ||
          (previous !== null &&
            blockHeaderHash(previous.number, previous.previousHash, previous.dataHash) !== block.previousHash);
        if (bad) return { ok: false, checkedBlocks: checked, firstBadBlock: n };
        previous = block;
      }
      return { ok: true, checkedBlocks: checked, firstBadBlock: null };
    },

    transaction: (em: EntityManager, txId: string) => em.findOne(ChainTransactionEntity, { txId }),
  };
}

export type ExplorerService = ReturnType<typeof createExplorerService>;
