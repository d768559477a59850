import type { TransactionName } from "@clearbook/contracts/api";
import { type Clock, enqueueCommand, OutboxCommand } from "@clearbook/kit";
import type { EntityManager, RequiredEntityData } from "@mikro-orm/core";
import type { VotingCommands } from "./voting-commands.js";

/** A Fabric identity's public half: enough to build a proposal, not to sign it. */
export interface PublicIdentity {
  mspId: string;
  certPem: string;
}

/**
 * Builds the unsigned proposal of a transaction for `identity`; the transaction id is fixed by it.
 * Backed by the chain client's `prepareProposal` (pure, no network).
 */
export type PrepareProposal = (
  identity: PublicIdentity,
  transaction: string,
  args: readonly string[],
) => { txId: string; proposalBytes: Uint8Array };

/** Who signs a command: a member, or the service identity of the stream's domain (`service:voting`). */
export type Actor = { kind: "user"; userId: string } | { kind: "service" };

export const COMMAND_DOMAIN = "voting";

/** The chaincode transactions this service submits, checked against the contracts' table. */
export const CAST_VOTE = "voting:CastVote" satisfies TransactionName;
const FINALIZE_BALLOT = "voting:FinalizeBallot" satisfies TransactionName;
const MAX_CACHED_CERTIFICATES = 100_000;

/** The payload of a `cmd:voting` entry, as the signer reads it (decision 0042). */
export interface ChainCommandPayload {
  actor: Actor;
  transaction: string;
  args: string[];
  /** Present when the service built the proposal (it then knows the transaction id). */
  txId?: string;
  /** The unsigned proposal, base64. */
  proposal?: string;
}

/** The signer's command stream and its enrollment command (decision 0043). */
const SIGNER_DOMAIN = "signer";
const ENROLL_USER = "EnrollUser";
/** The vault user that signs this service's own transactions (finalizations). */
export const SERVICE_USER_ID = "service:voting";

/** `VotingCommands` over the kit's transactional outbox: the relay carries them to `cmd:voting`. */
export function createOutboxVotingCommands(deps: { prepare: PrepareProposal; clock: Clock }): VotingCommands {
  // A user's certificate does not change (the signer issues one per user), so it is read once.
  const certificates = new Map<string, PublicIdentity>();
  async function identitiesOf(em: EntityManager, userIds: readonly string[]): Promise<Map<string, PublicIdentity>> {
    const found = new Map<string, PublicIdentity>();
    const missing: string[] = [];
    for (const userId of new Set(userIds)) {
      const cached = certificates.get(userId);
      if (cached) found.set(userId, cached);
      else missing.push(userId);
    }
    if (missing.length === 0) return found;
    // Plain rows, not entities: a burst reads a certificate per member, and hydrating each into the
    // unit of work cost more than the query (bench:votes).
    const rows = await em
      .getConnection()
      .execute<{ user_id: string; msp_id: string; cert_pem: string }[]>(
        `select user_id, msp_id, cert_pem from member_identity where user_id in (${missing.map(() => "?").join(", ")})`,
        missing,
        "all",
        em.getTransactionContext(),
      );
    for (const row of rows) {
      if (certificates.size >= MAX_CACHED_CERTIFICATES) certificates.clear();
      const identity = { mspId: row.msp_id, certPem: row.cert_pem };
      certificates.set(row.user_id, identity);
      found.set(row.user_id, identity);
    }
    return found;
  }

  return {
    async castVotes(em, votes) {
      const identities = await identitiesOf(
        em,
        votes.map((v) => v.userId),
      );
      const createdAt = new Date(deps.clock.now());
      const rows: RequiredEntityData<OutboxCommand>[] = [];
      const sent = votes.map(({ userId, ballotId, choice }) => {
        const identity = identities.get(userId);
        if (!identity) return null;
        const args = [ballotId, choice];
        const { txId, proposalBytes } = deps.prepare(identity, CAST_VOTE, args);
        const payload: ChainCommandPayload = {
          actor: { kind: "user", userId },
          transaction: CAST_VOTE,
          args,
          txId,
          proposal: Buffer.from(proposalBytes).toString("base64"),
        };
        // A vote is one transaction: its id is the command id (fresh, so no earlier row can hold it).
        rows.push({
          domain: COMMAND_DOMAIN,
          type: CAST_VOTE,
          commandId: txId,
          payload: JSON.stringify(payload),
          createdAt,
        });
        return { txId };
      });
      if (rows.length) await em.insertMany(OutboxCommand, rows);
      // Eligible members have an identity on chain; its announcement is missing here (this database
      // is newer than the trimmed evt:chain, say). The signer re-announces a known identity on a
      // repeated enrollment, so ask it, outside this transaction.
      const unknown = [...new Set(votes.filter((v) => !identities.has(v.userId)).map((v) => v.userId))];
      for (const userId of unknown) await requestEnrollment(em.fork(), userId, "user", deps.clock);
      return sent;
    },

    async finalizeBallot(em, { ballotId, attempt }) {
      // Nobody waits for this transaction id, so the signer builds the proposal itself.
      const commandId = `finalize:${ballotId}:${attempt}`;
      const payload: ChainCommandPayload = {
        actor: { kind: "service" },
        transaction: FINALIZE_BALLOT,
        args: [ballotId],
      };
      await enqueueCommand(em, { domain: COMMAND_DOMAIN, type: payload.transaction, commandId, payload }, deps.clock);
      return { commandId };
    },
  };
}

/**
 * Records (once per user) an `EnrollUser` command for the signer, which issues the identity unless it
 * exists and announces it on `evt:chain` either way.
 */
async function requestEnrollment(em: EntityManager, userId: string, role: "user" | "service", clock: Clock) {
  await em.transactional(async (tx) => {
    await enqueueCommand(
      tx,
      { domain: SIGNER_DOMAIN, type: ENROLL_USER, commandId: `enroll:${userId}`, payload: { userId, role } },
      clock,
    );
  });
}

/** Records (once) the request for the service identity that signs finalizations. */
export function requestServiceIdentity(em: EntityManager, clock: Clock): Promise<void> {
  return requestEnrollment(em, SERVICE_USER_ID, "service", clock);
}
