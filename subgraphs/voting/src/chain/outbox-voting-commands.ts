import type { TransactionName } from "@clearbook/contracts/api";
import { type Clock, enqueueCommand, type SqlExecutor } from "@clearbook/kit";
import type { EntityManager } from "@mikro-orm/core";
import { createIdentityCache, type IdentityCache, type PublicIdentity } from "./identity-cache.js";
import type { VotingCommands } from "./voting-commands.js";

export type { PublicIdentity } from "./identity-cache.js";

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
/** A member's enrollment is asked for again at most this often (decision 0302). */
export const ENROLL_RETRY_MS = 5000;
/** The vault user that signs this service's own transactions (finalizations). */
export const SERVICE_USER_ID = "service:voting";

/** `YYYY-MM-DD hh:mm:ss.mmm` in UTC, as the DATETIME(3) columns hold times (the ORM's convention). */
const sqlTime = (ms: number) => new Date(ms).toISOString().replace("T", " ").replace("Z", "");

/** `(?, ?, ?, ?, ?)` per row of the kit's `outbox` table, in `OUTBOX_COLUMNS` order. */
const OUTBOX_COLUMNS = "(domain, type, command_id, payload, created_at)";
const outboxRows = (count: number) => Array.from({ length: count }, () => "(?, ?, ?, ?, ?)").join(", ");

/**
 * `VotingCommands` over the kit's transactional outbox: the relay carries them to `cmd:voting`.
 * Votes are written with plain multi-row inserts into the kit's `outbox` table (the columns
 * `enqueueCommand` fills), in the caller's transaction.
 */
export function createOutboxVotingCommands(deps: {
  prepare: PrepareProposal;
  clock: Clock;
  /** Certificates known to this process; the `evt:chain` consumer adds those it stores. */
  identities?: IdentityCache;
}): VotingCommands {
  const certificates = deps.identities ?? createIdentityCache();
  async function identitiesOf(tx: SqlExecutor, userIds: readonly string[]): Promise<Map<string, PublicIdentity>> {
    const found = new Map<string, PublicIdentity>();
    const missing: string[] = [];
    for (const userId of new Set(userIds)) {
      const cached = certificates.get(userId);
      if (cached) found.set(userId, cached);
      else missing.push(userId);
    }
    if (missing.length === 0) return found;
    const rows = await tx.rows<{ user_id: string; msp_id: string; cert_pem: string }>(
      `select user_id, msp_id, cert_pem from member_identity where user_id in (${missing.map(() => "?").join(", ")})`,
      missing,
    );
    for (const row of rows) {
      const identity = { mspId: row.msp_id, certPem: row.cert_pem };
      certificates.set(row.user_id, identity);
      found.set(row.user_id, identity);
    }
    return found;
  }

  return {
    async castVotes(tx, votes) {
      const identities = await identitiesOf(
        tx,
        votes.map((v) => v.userId),
      );
      const createdAt = sqlTime(deps.clock.now());
      const values: string[] = [];
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
        values.push(COMMAND_DOMAIN, CAST_VOTE, txId, JSON.stringify(payload), createdAt);
        return { txId };
      });
      if (values.length) {
        await tx.run(`insert into outbox ${OUTBOX_COLUMNS} values ${outboxRows(values.length / 5)}`, values);
      }
      return sent;
    },

    async requestEnrollments(sql, userIds) {
      const unique = [...new Set(userIds)];
      if (unique.length === 0) return;
      const createdAt = sqlTime(deps.clock.now());
      // One command per user per interval: a request that brought no identity (dead-lettered, lost)
      // is made again by the next one, not only after the outbox row's retention.
      const round = Math.floor(deps.clock.now() / ENROLL_RETRY_MS);
      // One statement, so its own transaction; a user already asked for this round keeps that command.
      await sql.run(
        `insert into outbox ${OUTBOX_COLUMNS} values ${outboxRows(unique.length)}
         on duplicate key update command_id = command_id`,
        unique.flatMap((userId) => [
          SIGNER_DOMAIN,
          ENROLL_USER,
          `enroll:${userId}:${round}`,
          JSON.stringify({ userId, role: "user" }),
          createdAt,
        ]),
      );
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
