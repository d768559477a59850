import { randomBytes, randomUUID } from "node:crypto";
import { createRedis, ManualClock, type RedisHandle } from "@clearbook/kit";
import type { EntityManager } from "@mikro-orm/mariadb";
import { createConnection } from "mysql2/promise";
import type { ChainBlock, ChainCommand, ChainCommands, ChainReads } from "../src/chain/chain.port.js";
import { createLedgerDatabase, type LedgerDatabase } from "../src/db/database.js";

export const MYSQL_URL = process.env.MYSQL_URL ?? "mysql://root@127.0.0.1:3306";
export const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

/** A fresh database `clearbook_test_ledger_<suffix>` with the migrations applied; dropped by `dispose`. */
export async function createTestDatabase(suffix: string): Promise<LedgerDatabase & { name: string }> {
  const name = `clearbook_test_ledger_${suffix}_${randomBytes(3).toString("hex")}`;
  const admin = await createConnection({ uri: MYSQL_URL });
  await admin.query(`create database \`${name}\``);
  await admin.end();
  const db = await createLedgerDatabase({ mysqlUrl: MYSQL_URL, dbName: name });
  await db.migrate();
  return {
    ...db,
    name,
    async dispose() {
      await db.dispose();
      const conn = await createConnection({ uri: MYSQL_URL });
      await conn.query(`drop database if exists \`${name}\``);
      await conn.end();
    },
  };
}

/** Redis with a unique `test:ledger:<suffix>:` prefix; `dispose` deletes every key under it. */
export async function createTestRedis(suffix: string): Promise<RedisHandle & { prefix: string }> {
  const handle = await createRedis(REDIS_URL, `test-ledger-${suffix}`);
  const prefix = `test:ledger:${suffix}:${randomBytes(3).toString("hex")}:`;
  return {
    ...handle,
    prefix,
    async dispose() {
      const keys = await handle.client.keys(`${prefix}*`);
      if (keys.length) await handle.client.del(...keys);
      await handle.dispose();
    },
  };
}

/**
 * A stand-in for the chain while the outbox relay and signer are not wired into this package's
 * tests: it records each command and hands out a fresh transaction id. The indexer is then fed the
 * chaincode events a commit would produce, through its real code path.
 */
export class RecordingChain implements ChainCommands, ChainReads {
  readonly commands: (ChainCommand & { txId: string })[] = [];
  readonly enrolled: string[] = [];
  readonly balances = new Map<string, bigint>();
  readonly blocks: ChainBlock[] = [];

  async submit(_em: EntityManager, command: ChainCommand) {
    const txId = randomBytes(32).toString("hex");
    this.commands.push({ ...command, txId });
    return { txId };
  }
  async enroll(_em: EntityManager, userId: string) {
    this.enrolled.push(userId);
  }
  async treasuryBalance(orgId: string) {
    return this.balances.get(orgId) ?? 0n;
  }
  async height() {
    return this.blocks.length;
  }
  async block(number: number) {
    return this.blocks[number] ?? null;
  }
  async transaction(_txId: string) {
    return null;
  }
  last(): ChainCommand & { txId: string } {
    const command = this.commands.at(-1);
    if (!command) throw new Error("no command was submitted");
    return command;
  }
}

export const newClock = () => new ManualClock(Date.UTC(2026, 8, 1, 12));
export const uuid = (): string => randomUUID();

/** uvu's assert.equal needs plain objects; graphql results have null prototypes. */
export const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value));
