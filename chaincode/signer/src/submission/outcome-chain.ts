import { type ChainClient, type ChainGuard, createChainGuard } from "@clearbook/client";
import type { Logger, OrmHandle } from "@clearbook/kit";

/** The `chain_identity` row of the signer's outcome tracker. */
export const OUTCOME_TRACKER = "signer-outcomes";
/** What the chain-mismatch error tells the operator to run. */
export const SIGNER_REINDEX_FIX =
  "run `npm run reindex -- signer` to forget the old chain's signed transactions (in development, `npm start -- --reset` starts everything over).";

/**
 * The outcome tracker's chain check. Its checkpoint is the highest block an outcome was recorded in
 * (`signed_tx.block`): on another chain (a wiped devpeer, another channel) resubmissions and outcomes
 * would land in the wrong history.
 */
export function createOutcomeChainGuard(deps: {
  orm: OrmHandle;
  chain: Pick<ChainClient, "profile" | "height" | "block">;
  logger?: Pick<Logger, "error">;
}): ChainGuard & { lastOutcomeBlock(): Promise<bigint | undefined>; check(): Promise<void> } {
  const guard = createChainGuard({
    chain: deps.chain,
    em: deps.orm.orm.em,
    name: OUTCOME_TRACKER,
    fix: SIGNER_REINDEX_FIX,
    onMismatch: (error) => deps.logger?.error({ reason: error.reason }, error.message),
  });
  const lastOutcomeBlock = async () => {
    const [row] = (await deps.orm.orm.em
      .fork()
      .getConnection()
      .execute("select max(block) as block from signed_tx")) as { block: string | number | null }[];
    return row?.block == null ? undefined : BigInt(row.block);
  };
  return Object.assign(guard, {
    lastOutcomeBlock,
    check: async () => guard.verify(await lastOutcomeBlock()),
  });
}
