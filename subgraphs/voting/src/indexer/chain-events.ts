import type { EventName } from "@clearbook/contracts/api";
import { z } from "zod";

/**
 * The chaincode events the voting read model is built from, parsed at the edge. Names and payloads
 * follow `@clearbook/contracts` (`EventName`, `EventPayloads`); only the fields used here are read,
 * and a payload that does not match is refused rather than half-applied.
 */
export const VotingChainEvent = {
  OrgCreated: "OrgCreated",
  OrgMembershipApproved: "OrgMembershipApproved",
  LedgerSpendingProposed: "LedgerSpendingProposed",
  VotingVoteCast: "VotingVoteCast",
  VotingBallotFinalized: "VotingBallotFinalized",
} as const satisfies Record<string, EventName>;
export type VotingChainEventName = (typeof VotingChainEvent)[keyof typeof VotingChainEvent];

const isoTime = z.iso.datetime({ offset: true }).transform((s) => new Date(s));
const choice = z.enum(["APPROVE", "REJECT"]);
const member = z.object({ orgId: z.string().min(1), userId: z.string().min(1), since: isoTime });
const ballot = z.object({
  ballotId: z.string().min(1),
  orgId: z.string().min(1),
  entryId: z.string().min(1),
  opensAt: isoTime,
  closesAt: isoTime,
  eligibleCount: z.number().int().nonnegative(),
  quorumBps: z.number().int().min(0).max(10_000),
  thresholdBps: z.number().int().min(0).max(10_000),
  status: z.enum(["OPEN", "APPROVED", "REJECTED"]),
  finalizedAt: isoTime.nullable(),
  finalTally: z.object({ approve: z.number().int().nonnegative(), reject: z.number().int().nonnegative() }).nullable(),
});

const payloads = {
  OrgCreated: z.object({ founder: member }),
  OrgMembershipApproved: z.object({ member }),
  LedgerSpendingProposed: z.object({ ballot }),
  VotingVoteCast: z.object({
    vote: z.object({ ballotId: z.string().min(1), userId: z.string().min(1), choice, castAt: isoTime }),
    previous: choice.nullable(),
  }),
  VotingBallotFinalized: z.object({ ballot }),
} satisfies Record<VotingChainEventName, z.ZodType>;

export type VotingChainEventPayloads = { [N in VotingChainEventName]: z.output<(typeof payloads)[N]> };

/** A chaincode event this service applies, with where it sits on the chain. */
export type ParsedChainEvent = {
  [N in VotingChainEventName]: { name: N; payload: VotingChainEventPayloads[N]; txId: string; blockNumber: bigint };
}[VotingChainEventName];

const names = new Set<string>(Object.values(VotingChainEvent));

/**
 * @returns the parsed event, or null for an event the voting read model does not use.
 * @throws Error when a used event's payload does not have the agreed shape (a chaincode/service mismatch).
 */
export function parseChainEvent(raw: {
  eventName: string;
  payload: Uint8Array;
  transactionId: string;
  blockNumber: bigint;
}): ParsedChainEvent | null {
  if (!names.has(raw.eventName)) return null;
  const name = raw.eventName as VotingChainEventName;
  const json: unknown = JSON.parse(Buffer.from(raw.payload).toString("utf8"));
  const result = payloads[name].safeParse(json);
  if (!result.success) {
    throw new Error(
      `chaincode event ${name} in ${raw.transactionId} has an unexpected payload: ${result.error.message}`,
    );
  }
  return { name, payload: result.data, txId: raw.transactionId, blockNumber: raw.blockNumber } as ParsedChainEvent;
}
