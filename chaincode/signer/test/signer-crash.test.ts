import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import {
  type ChainClient,
  createChainClient,
  decodeChainEvent,
  identityOf,
  parseConnectionProfile,
  privateKeySigner,
} from "@clearbook/client";
import { createOrm, createRedis, migrate, type OrmHandle, type RedisHandle } from "@clearbook/kit";
import { checkpointers } from "@hyperledger/fabric-gateway";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { createKeyVault, createLocalKeyWrapper, SignedTx, signerEntities } from "../src/index.js";
import { enqueueChainCommand, enrollUsers, outcomes, startDevpeer } from "./chain.helpers.js";
import { MYSQL_URL, REDIS_URL, testCommandKeysEnv, waitFor } from "./helpers.js";

const ns = `test:signer:crash:${process.pid}:`;
const CMD = `${ns}cmd:wallet`;
const EVT = `${ns}evt:chain`;
const DB = "clearbook_test_signer_crash";
const COMMANDS = 300;
const signerDir = fileURLToPath(new URL("..", import.meta.url));

type Context = {
  devpeer: Awaited<ReturnType<typeof startDevpeer>>;
  orm: OrmHandle;
  redis: RedisHandle;
  chain: ChainClient;
  masterKey: Buffer;
  children: ChildProcess[];
};
const crash = suite<Context>("signer killed mid-stream");

crash.before(async (context) => {
  context.children = [];
  context.masterKey = randomBytes(32);
  context.devpeer = await startDevpeer();
  context.orm = await createOrm({
    mysqlUrl: MYSQL_URL,
    dbName: DB,
    entities: [...signerEntities],
    migrationsPath: fileURLToPath(new URL("../migrations", import.meta.url)),
  });
  await context.orm.orm.schema.dropDatabase(DB).catch(() => {});
  await context.orm.orm.schema.ensureDatabase();
  await migrate(context.orm.orm);
  context.redis = await createRedis(REDIS_URL, "signer-crash-test");
  const { admin } = context.devpeer.credentials;
  context.chain = createChainClient({
    profile: parseConnectionProfile(context.devpeer.connectionProfile),
    reader: { identity: identityOf("ClearbookMSP", admin.certificatePem), sign: privateKeySigner(admin.privateKeyPem) },
  });
});

crash.after(async ({ devpeer, orm, redis, chain, children }) => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  chain.dispose();
  const keys = await redis.client.keys(`${ns}*`);
  if (keys.length > 0) await redis.client.del(...keys);
  await redis.dispose();
  await orm.orm.schema.dropDatabase(DB);
  await orm.dispose();
  await devpeer.cleanup();
});

/** Starts `npm start`'s entry point as its own process; resolves once it consumes. */
async function startSigner(context: Context, consumer: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: signerDir,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: "test",
      LOG_LEVEL: "info",
      MYSQL_URL,
      REDIS_URL,
      SIGNER_DB: DB,
      SIGNER_MASTER_KEY: context.masterKey.toString("base64"),
      FABRIC_CONNECTION_PROFILE: context.devpeer.connectionProfilePath,
      CLEARBOOK_DATA_DIR: context.devpeer.dir,
      SIGNER_STREAM_PREFIX: ns,
      SIGNER_CONSUMER: consumer,
      SIGNER_CONCURRENCY: "32",
      SIGNER_CLAIM_IDLE_MS: "1000",
      SIGNER_METRICS_PORT: "0",
      SIGNER_COMMAND_KEYS: testCommandKeysEnv(),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  context.children.push(child);
  let output = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  await new Promise<void>((resolve, reject) => {
    // Start-up compiles the signer with tsx: on a busy shared machine that alone can take 15 s.
    const timer = setTimeout(() => reject(new Error(`signer ${consumer} did not start in 30 s:\n${output}`)), 30_000);
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("signer started")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`signer ${consumer} exited with ${code}:\n${output}`));
    });
  });
  child.removeAllListeners("exit");
  return child;
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) =>
    child.exitCode !== null || child.signalCode !== null ? resolve() : child.once("exit", () => resolve()),
  );
}

/** Every `kill-*` account opened on chain, counting each valid transaction once. */
async function accountsOnChain(chain: ChainClient, expected: number): Promise<string[]> {
  const events = await chain.chaincodeEvents({ checkpoint: checkpointers.inMemory(), startBlock: 0n });
  const addresses: string[] = [];
  let quietTimer: NodeJS.Timeout | undefined;
  const settle = () => {
    clearTimeout(quietTimer);
    // Keep listening a moment after the expected count, so a duplicate would show.
    quietTimer = setTimeout(() => events.close(), addresses.length >= expected ? 500 : 10_000);
  };
  settle();
  try {
    for await (const event of events) {
      const decoded = decodeChainEvent(event);
      if (decoded?.name === "TokenAccountOpened" && decoded.payload.account.address.startsWith("kill-")) {
        addresses.push(decoded.payload.account.address);
      }
      settle();
    }
  } catch {
    // closing the stream ends the loop with a cancellation
  }
  clearTimeout(quietTimer);
  return addresses;
}

crash("finishes every command exactly once after a SIGKILL and a restart", async (context) => {
  const { redis, chain, orm, devpeer } = context;
  const vault = createKeyVault({ fork: orm.fork, wrapper: createLocalKeyWrapper(context.masterKey) });
  const users = Array.from({ length: 10 }, (_, i) => ({ userId: `crash-user-${i}` }));
  const certs = await enrollUsers(devpeer, vault, users);
  const commandIds: string[] = [];
  for (let i = 0; i < COMMANDS; i++) {
    const userId = `crash-user-${i % users.length}`;
    const { commandId } = await enqueueChainCommand(redis.client, chain, CMD, {
      userId,
      certPem: certs.get(userId) ?? "",
      transaction: "token:OpenAccount",
      args: [`kill-${i}`],
    });
    commandIds.push(commandId);
  }

  const first = await startSigner(context, "signer-a");
  await waitFor(async () => ((await outcomes(redis.client, EVT)).size >= 40 ? true : undefined), 20_000, "40 outcomes");
  first.kill("SIGKILL");
  await exited(first);
  const done = (await outcomes(redis.client, EVT)).size;
  const inFlight = await orm.fork().count(SignedTx, { status: "SIGNED" });
  assert.ok(done < COMMANDS, `killed mid-stream (${done} of ${COMMANDS} done, ${inFlight} signed and in flight)`);

  const second = await startSigner(context, "signer-b");
  const all = await waitFor(
    async () => {
      const seen = await outcomes(redis.client, EVT);
      return commandIds.every((id) => seen.has(id)) ? seen : undefined;
    },
    60_000,
    "every outcome",
  );
  second.kill("SIGTERM");
  await exited(second);

  assert.equal(
    commandIds.map((id) => all.get(id)?.type),
    Array(COMMANDS).fill("TransactionCommitted"),
  );
  assert.is(await orm.fork().count(SignedTx, { status: "COMMITTED" }), COMMANDS);
  const onChain = await accountsOnChain(chain, COMMANDS);
  assert.is(onChain.length, COMMANDS, "one valid transaction per command");
  assert.is(new Set(onChain).size, COMMANDS, "no account opened twice");
});

crash.run();
