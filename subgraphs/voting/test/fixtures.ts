import type { OrmHandle, Redis } from "@clearbook/kit";
import { createLogger } from "@clearbook/kit";
import { applyOutcome } from "../src/chain/chain-outcome.consumer.js";
import type { ParsedChainEvent } from "../src/indexer/chain-events.js";
import { projectChainEvent } from "../src/indexer/voting-indexer.js";
import { certOf, chainEvents, T0, uuid } from "./helpers.js";

export const silentLogger = createLogger({ name: "voting-test", level: "silent" });

export interface BallotFixture {
  orgId: string;
  ballotId: string;
  entryId: string;
  members: string[];
  /** Approved after the ballot opened: not eligible. */
  latecomer: string;
  closesAt: number;
  apply(event: ParsedChainEvent): Promise<unknown>;
}

/**
 * An organization with `size` members and one open ballot (one hour, 50 % quorum and threshold),
 * built by feeding the chain's events through the real projection.
 */
export async function openBallot(
  deps: { orm: OrmHandle; redis: Redis; namespace: string },
  options: { size?: number; quorumBps?: number; thresholdBps?: number; opensAt?: number } = {},
): Promise<BallotFixture> {
  const apply = (event: ParsedChainEvent) =>
    projectChainEvent({ orm: deps.orm, redis: deps.redis, logger: silentLogger, namespace: deps.namespace }, event);
  const orgId = uuid();
  const members = Array.from({ length: options.size ?? 4 }, () => uuid());
  const [founder, ...rest] = members;
  if (!founder) throw new Error("an organization needs a founder");
  const opensAt = options.opensAt ?? T0;
  await apply(chainEvents.orgCreated(orgId, founder, opensAt - 60_000));
  for (const m of rest) await apply(chainEvents.memberApproved(orgId, m, opensAt - 30_000));
  const ballotId = uuid();
  const entryId = uuid();
  const closesAt = opensAt + 3_600_000;
  await apply(
    chainEvents.spendingProposed({
      ballotId,
      orgId,
      entryId,
      opensAt,
      closesAt,
      eligible: members.length,
      ...(options.quorumBps === undefined ? {} : { quorumBps: options.quorumBps }),
      ...(options.thresholdBps === undefined ? {} : { thresholdBps: options.thresholdBps }),
    }),
  );
  for (const userId of members) {
    await applyOutcome(deps.orm, {
      type: "IdentityEnrolled",
      data: { userId, mspId: "ClearbookMSP", certPem: certOf(userId) },
      at: opensAt - 60_000,
    });
  }
  const latecomer = uuid();
  await apply(chainEvents.memberApproved(orgId, latecomer, opensAt + 1_000));
  return { orgId, ballotId, entryId, members, latecomer, closesAt, apply };
}
