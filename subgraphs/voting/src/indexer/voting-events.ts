import type { DomainEvent } from "@clearbook/kit";

/**
 * The domain events the voting service appends to `evt:voting` after applying a chain change;
 * their schemas live in the kit's core registry, which the gateway's realtime layer reads too.
 */
export type VotingEvent = Extract<DomainEvent, { type: "VoteTallyChanged" | "BallotClosed" }>;

export const VOTING_EVENT_DOMAIN = "voting";
