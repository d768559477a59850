import { randomBytes, randomUUID } from "node:crypto";
import {
  createRedis,
  ManualClock,
  migrate,
  type OrmHandle,
  parseEntryList,
  parseEvent,
  type Redis,
  type RedisHandle,
} from "@clearbook/kit";
import { createOutboxVotingCommands } from "../src/chain/outbox-voting-commands.js";
import type { VotingCommands } from "../src/chain/voting-commands.js";
import { createVotingOrm } from "../src/db/database.js";
import type { ParsedChainEvent } from "../src/indexer/chain-events.js";

export const MYSQL_URL = process.env.MYSQL_URL ?? "mysql://root@127.0.0.1:3306";
export const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

/** A fresh database `clearbook_test_voting_<name>_<random>` with the migrations applied; dropped by `dispose`. */
export async function testOrm(name: string): Promise<OrmHandle & { dbName: string }> {
  const dbName = `clearbook_test_voting_${name}_${randomBytes(3).toString("hex")}`;
  const handle = await createVotingOrm({ mysqlUrl: MYSQL_URL, dbName });
  await handle.orm.schema.ensureDatabase();
  await migrate(handle.orm);
  return {
    ...handle,
    dbName,
    async dispose() {
      await handle.orm.schema.dropDatabase(dbName);
      await handle.dispose();
    },
  };
}

/** Redis with a key namespace `test:voting:<name>:<random>:`; `dispose` deletes every key under it. */
export async function testRedis(name: string): Promise<RedisHandle & { namespace: string }> {
  const handle = await createRedis(REDIS_URL, `test-voting-${name}`);
  const namespace = `test:voting:${name}:${randomBytes(3).toString("hex")}:`;
  return {
    ...handle,
    namespace,
    async dispose() {
      const keys = await handle.client.keys(`${namespace}*`);
      if (keys.length) await handle.client.del(...keys);
      await handle.dispose();
    },
  };
}

/**
 * Real outbox commands over a stand-in for the chain client's `prepareProposal`: each proposal gets
 * a fresh transaction id, as a peer would.
 */
export function recordingCommands(clock: ManualClock): VotingCommands & {
  prepared: { certPem: string; transaction: string; args: readonly string[]; txId: string }[];
} {
  const prepared: { certPem: string; transaction: string; args: readonly string[]; txId: string }[] = [];
  const commands = createOutboxVotingCommands({
    clock,
    prepare: (identity, transaction, args) => {
      const txId = randomBytes(32).toString("hex");
      prepared.push({ certPem: identity.certPem, transaction, args, txId });
      return { txId, proposalBytes: new TextEncoder().encode(`${transaction}(${args.join(",")})`) };
    },
  });
  return Object.assign(commands, { prepared });
}

/** The certificate a test pretends the signer issued to `userId`. */
export const certOf = (userId: string) => `-----BEGIN CERTIFICATE-----\n${userId}\n-----END CERTIFICATE-----\n`;

/** Every event on `<namespace>evt:voting`, parsed with the kit's core registry. */
export async function votingEvents(redis: Redis, namespace: string) {
  const entries = parseEntryList(await redis.xrange(`${namespace}evt:voting`, "-", "+"));
  return entries.map((entry) => parseEvent(entry.id, entry.fields));
}

export const T0 = Date.UTC(2026, 8, 1, 12);
export const newClock = () => new ManualClock(T0);
export const uuid = () => randomUUID();
export const txId = () => randomBytes(32).toString("hex");
export const iso = (ms: number) => new Date(ms).toISOString();

/** uvu's assert.equal needs plain objects; graphql results have null prototypes. */
export const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value));

let block = 1n;

/** Chain events as the chaincode would emit them (only the fields the voting service reads, plus some). */
export const chainEvents = {
  orgCreated(orgId: string, founderId: string, since: number): ParsedChainEvent {
    return {
      name: "OrgCreated",
      payload: { founder: { orgId, userId: founderId, since: new Date(since) } },
      txId: txId(),
      blockNumber: block++,
    };
  },
  memberApproved(orgId: string, userId: string, since: number): ParsedChainEvent {
    return {
      name: "OrgMembershipApproved",
      payload: { member: { orgId, userId, since: new Date(since) } },
      txId: txId(),
      blockNumber: block++,
    };
  },
  spendingProposed(b: {
    ballotId: string;
    orgId: string;
    entryId: string;
    opensAt: number;
    closesAt: number;
    eligible: number;
    quorumBps?: number;
    thresholdBps?: number;
  }): ParsedChainEvent {
    return {
      name: "LedgerSpendingProposed",
      payload: {
        ballot: {
          ballotId: b.ballotId,
          orgId: b.orgId,
          entryId: b.entryId,
          opensAt: new Date(b.opensAt),
          closesAt: new Date(b.closesAt),
          eligibleCount: b.eligible,
          quorumBps: b.quorumBps ?? 5000,
          thresholdBps: b.thresholdBps ?? 5000,
          status: "OPEN",
          finalizedAt: null,
          finalTally: null,
        },
      },
      txId: txId(),
      blockNumber: block++,
    };
  },
  voteCast(v: {
    ballotId: string;
    userId: string;
    choice: "APPROVE" | "REJECT";
    previous?: "APPROVE" | "REJECT" | null;
    at: number;
    txId?: string;
  }): ParsedChainEvent {
    return {
      name: "VotingVoteCast",
      payload: {
        vote: { ballotId: v.ballotId, userId: v.userId, choice: v.choice, castAt: new Date(v.at) },
        previous: v.previous ?? null,
      },
      txId: v.txId ?? txId(),
      blockNumber: block++,
    };
  },
};
