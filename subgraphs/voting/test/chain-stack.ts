import "reflect-metadata";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type ChainClient,
  type ConnectionProfile,
  createChainClient,
  identityOf,
  loadConnectionProfile,
  privateKeySigner,
  type SigningIdentity,
} from "@clearbook/client";
import { createDevpeer, type Devpeer, setChaincodeLogLevel } from "@clearbook/devpeer";
import {
  createOrm,
  createRedis,
  migrate,
  type OrmHandle,
  parseEnv,
  type RedisHandle,
  syncSchemaForTests,
  systemClock,
} from "@clearbook/kit";
import {
  createDevCaEnroller,
  createLocalKeyWrapper,
  createSigner,
  type Signer,
  signerEntities,
} from "@clearbook/signer";
import { votingEnvSchema } from "../src/config.js";
import { createVotingOrm } from "../src/db/database.js";
import { startVotingService, type VotingService } from "../src/service.js";
import { silentLogger } from "./fixtures.js";
import { MYSQL_URL, REDIS_URL } from "./helpers.js";

/**
 * The chain side of the stack, in process: a devpeer on a free port with its data in a temp dir,
 * the signer (its own test database), and any number of voting replicas on one voting database,
 * all on one Redis namespace. `dispose` stops and removes everything.
 */
export interface ChainStack {
  devpeer: Devpeer;
  profile: ConnectionProfile;
  chain: ChainClient;
  admin: SigningIdentity;
  signer: Signer;
  redis: RedisHandle;
  namespace: string;
  votingDb: OrmHandle;
  votingDbName: string;
  replicas: Map<string, VotingService>;
  startReplica(id: string): Promise<VotingService>;
  stopReplica(id: string): Promise<void>;
  /** Issues a user's Fabric identity through the signer, which announces it on `evt:chain`. */
  enroll(userId: string, role?: "user" | "admin"): Promise<void>;
  /** Signs as a user whose key the signer's vault holds. */
  as(userId: string): Promise<SigningIdentity>;
  dispose(): Promise<void>;
}

export async function startChainStack(name: string): Promise<ChainStack> {
  setChaincodeLogLevel("CRITICAL");
  const suffix = `${name}_${randomBytes(3).toString("hex")}`;
  const namespace = `test:voting:${suffix}:`;
  const dir = await mkdtemp(join(tmpdir(), "clearbook-voting-"));
  const devpeer = await createDevpeer({ dir, port: 0, batchTimeoutMs: 10 });
  const profile = await loadConnectionProfile(devpeer.connectionProfilePath);
  if (!profile.admin || !profile.ca) throw new Error("the devpeer profile lacks its admin or CA");
  const admin: SigningIdentity = {
    identity: identityOf(profile.mspId, await readFile(profile.admin.certPath, "utf8")),
    sign: privateKeySigner(await readFile(profile.admin.keyPath, "utf8")),
  };
  const chain = createChainClient({ profile, reader: admin });
  const redis = await createRedis(REDIS_URL, `test-voting-${suffix}`);

  const signerDbName = `clearbook_test_voting_signer_${suffix}`;
  const signerDb = await createOrm({ mysqlUrl: MYSQL_URL, dbName: signerDbName, entities: [...signerEntities] });
  await signerDb.orm.schema.ensureDatabase();
  await syncSchemaForTests(signerDb.orm);
  // The voting replicas sign their commands with this key; the signer knows it (decision 0360).
  const commandKey = randomBytes(24).toString("hex");
  const signer = createSigner({
    orm: signerDb,
    redis: redis.client,
    chain,
    wrapper: createLocalKeyWrapper(randomBytes(32)),
    enroller: createDevCaEnroller({
      caCertPem: await readFile(profile.ca.certPath, "utf8"),
      caKeyPem: await readFile(profile.ca.keyPath, "utf8"),
    }),
    mspId: profile.mspId,
    consumerName: "signer-test",
    commandKeys: new Map([["voting", Buffer.from(commandKey, "utf8")]]),
    concurrency: 64,
    blockMs: 50,
    namespace,
    domains: ["voting", "signer"],
  });
  await signer.worker.start();

  const votingDbName = `clearbook_test_voting_stack_${suffix}`;
  const votingDb = await createVotingOrm({ mysqlUrl: MYSQL_URL, dbName: votingDbName });
  await votingDb.orm.schema.ensureDatabase();
  await migrate(votingDb.orm);

  const replicas = new Map<string, VotingService>();
  const stack: ChainStack = {
    devpeer,
    profile,
    chain,
    admin,
    signer,
    redis,
    namespace,
    votingDb,
    votingDbName,
    replicas,
    async startReplica(id) {
      const env = parseEnv(votingEnvSchema, {
        NODE_ENV: "test",
        MYSQL_URL,
        REDIS_URL,
        VOTING_PORT: "0",
        VOTING_DB_NAME: votingDbName,
        VOTING_REPLICA_ID: id,
        VOTING_STREAM_PREFIX: namespace,
        VOTING_FINALIZER_INTERVAL_MS: "200",
        VOTING_FINALIZER_LEASE_MS: "5000",
        VOTING_DB_POOL_MAX: "10",
        CLEARBOOK_COMMAND_KEY: commandKey,
      });
      const service = await startVotingService({ env, profile, clock: systemClock, logger: silentLogger });
      replicas.set(id, service);
      return service;
    },
    async stopReplica(id) {
      await replicas.get(id)?.dispose();
      replicas.delete(id);
    },
    async enroll(userId, role = "user") {
      await signer.enrollment.handle({ commandId: `enroll:${userId}`, userId, role });
    },
    as: (userId) => signer.vault.signingIdentity(userId),
    async dispose() {
      for (const id of [...replicas.keys()]) await stack.stopReplica(id);
      await signer.dispose();
      chain.dispose();
      await devpeer.dispose();
      const keys = await redis.client.keys(`${namespace}*`);
      if (keys.length) await redis.client.del(...keys);
      await redis.dispose();
      await votingDb.orm.schema.dropDatabase(votingDbName);
      await votingDb.dispose();
      await signerDb.orm.schema.dropDatabase(signerDbName);
      await signerDb.dispose();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return stack;
}

export { eventually } from "../bench/stack.js";
