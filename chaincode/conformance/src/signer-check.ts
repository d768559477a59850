// @peculiar/x509 (under the signer's dev CA enroller) resolves its ASN.1 schemas through tsyringe.
import "reflect-metadata";
import { randomBytes, randomUUID } from "node:crypto";
import { type ChainClient, identityOf } from "@clearbook/client";
import { issueIdentity } from "@clearbook/devpeer";
import { createOrm, createRedis, parseEntryList, signCommandEntry, syncSchemaForTests } from "@clearbook/kit";
import { createDevCaEnroller, createLocalKeyWrapper, createSigner, signerEntities } from "@clearbook/signer";
import type { Target } from "./target.js";

const MYSQL_URL = process.env.MYSQL_URL ?? "mysql://root@127.0.0.1:3306";
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

export interface SignerOutcome {
  type: string;
  data: Record<string, unknown>;
}

/**
 * Runs a signer (its own database and stream prefix) over `chain`: commands carry proposals prepared
 * with only the users' certificates, the signer signs them with the keys in its vault, submits, and
 * publishes each outcome. Sends an account opening, a mint by an admin, and a refused second opening.
 * @returns the outcomes in the order the commands were sent.
 */
export async function runSignerCommands(target: Target, chain: ChainClient, run: string): Promise<SignerOutcome[]> {
  const ns = `test:conformance:${target.name}:${process.pid}:${run}:`;
  const dbName = `clearbook_test_conformance_${target.name}_${run}`;
  const orm = await createOrm({ mysqlUrl: MYSQL_URL, dbName, entities: [...signerEntities] });
  await syncSchemaForTests(orm.orm);
  const redis = await createRedis(REDIS_URL, "conformance-signer");
  // The signer takes only entries signed by the service that may write the stream (cmd:wallet: wallet).
  const walletKey = randomBytes(32);
  const signer = createSigner({
    commandKeys: new Map([["wallet", walletKey]]),
    orm,
    redis: redis.client,
    chain,
    wrapper: createLocalKeyWrapper(randomBytes(32)),
    enroller: createDevCaEnroller({ caCertPem: target.ca.certificatePem, caKeyPem: target.ca.privateKeyPem }),
    mspId: target.profile.mspId,
    consumerName: "conformance",
    concurrency: 8,
    blockMs: 50,
    namespace: ns,
    domains: ["wallet"],
  });
  try {
    const certs = new Map<string, string>();
    for (const [userId, role] of [
      [`signer-admin-${run}`, "admin"],
      [`signer-user-${run}`, "user"],
    ] as const) {
      const issued = await issueIdentity(target.ca, { userId, role });
      const stored = await signer.vault.store({
        userId,
        mspId: target.profile.mspId,
        role,
        certPem: issued.certificatePem,
        keyPem: issued.privateKeyPem,
      });
      certs.set(userId, stored.certPem);
    }
    await signer.worker.start();
    const wallet = `signer-wallet-${run}`;
    const commands = [
      { userId: `signer-user-${run}`, transaction: "token:OpenAccount", args: [wallet] },
      { userId: `signer-admin-${run}`, transaction: "token:Mint", args: [`signer-mint-${run}`, wallet, "25"] },
      { userId: `signer-user-${run}`, transaction: "token:OpenAccount", args: [wallet] },
    ];
    const ids: string[] = [];
    // One after the other: the mint needs the account, and the second opening must come after the first.
    for (const command of commands) {
      const commandId = randomUUID();
      ids.push(commandId);
      const { proposalBytes, txId } = chain.prepareProposal({
        identity: identityOf(target.profile.mspId, certs.get(command.userId) ?? ""),
        transaction: command.transaction,
        args: command.args,
      });
      const payload = {
        userId: command.userId,
        txId,
        proposal: Buffer.from(proposalBytes).toString("base64"),
        transaction: command.transaction,
        args: command.args,
      };
      const fields = {
        id: commandId,
        type: command.transaction,
        payload: JSON.stringify(payload),
        at: String(Date.now()),
      };
      await redis.client.xadd(
        `${ns}cmd:wallet`,
        "*",
        "id",
        fields.id,
        "type",
        fields.type,
        "payload",
        fields.payload,
        "at",
        fields.at,
        ...signCommandEntry({ service: "wallet", key: walletKey }, "wallet", fields),
      );
      await outcomeOf(redis.client, `${ns}evt:chain`, commandId, 30_000);
    }
    const all = await outcomesByCommand(redis.client, `${ns}evt:chain`);
    return ids.map((id) => all.get(id) as SignerOutcome);
  } finally {
    await signer.dispose();
    const keys = await redis.client.keys(`${ns}*`);
    if (keys.length > 0) await redis.client.del(...keys);
    await redis.dispose();
    await orm.orm.schema.dropDatabase(dbName);
    await orm.dispose();
  }
}

type RedisClient = Awaited<ReturnType<typeof createRedis>>["client"];

async function outcomesByCommand(redis: RedisClient, stream: string): Promise<Map<string, SignerOutcome>> {
  const byCommand = new Map<string, SignerOutcome>();
  for (const entry of parseEntryList(await redis.xrange(stream, "-", "+"))) {
    if (!entry.fields?.data || !entry.fields.type) continue;
    const data = JSON.parse(entry.fields.data) as Record<string, unknown>;
    if (typeof data.commandId === "string") byCommand.set(data.commandId, { type: entry.fields.type, data });
  }
  return byCommand;
}

/** Polls the outcome stream until `commandId` has an outcome. */
async function outcomeOf(redis: RedisClient, stream: string, commandId: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const outcome = (await outcomesByCommand(redis, stream)).get(commandId);
    if (outcome) return outcome;
    if (Date.now() > deadline) throw new Error(`no outcome for command ${commandId} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
