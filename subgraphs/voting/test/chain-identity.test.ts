import { randomUUID } from "node:crypto";
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
} from "@clearbook/client";
import { createDevpeer, type Devpeer } from "@clearbook/devpeer";
import { createSqlClient, parseEnv, systemClock } from "@clearbook/kit";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { votingEnvSchema } from "../src/config.js";
import { reindexVoting } from "../src/indexer/reindex.js";
import { startVotingService, type VotingService } from "../src/service.js";
import { type ChainStack, eventually, startChainStack } from "./chain-stack.js";
import { silentLogger } from "./fixtures.js";
import { MYSQL_URL, REDIS_URL } from "./helpers.js";

type Ctx = { stack: ChainStack; orgId: string };
const test = suite<Ctx>("the voting read models know which chain they index (issue 24)");

test.before(async (ctx) => {
  ctx.stack = await startChainStack("chainid");
  await ctx.stack.startReplica("a");
  const { chain, admin } = ctx.stack;
  ctx.orgId = randomUUID();
  const founder = randomUUID();
  const member = randomUUID();
  for (const user of [founder, member]) await ctx.stack.enroll(user);
  await chain.submit(admin, "org:CreateOrganization", [ctx.orgId, "Student council", founder]);
  const requestId = randomUUID();
  await chain.submit(await ctx.stack.as(member), "org:RequestMembership", [requestId, ctx.orgId]);
  await chain.submit(await ctx.stack.as(founder), "org:ApproveMembership", [requestId]);
  await eventually("the members in the read model", async () => (await readModels(ctx.stack)).org_member.length === 2);
  await ctx.stack.stopReplica("a");
});

test.after(async (ctx) => {
  await ctx.stack?.dispose();
});

async function readModels(stack: ChainStack) {
  const sql = createSqlClient(stack.votingDb);
  return JSON.parse(
    JSON.stringify({
      org_member: await sql.rows("select org_id, user_id from org_member order by org_id, user_id"),
      ballot: await sql.rows("select id, status, approve, reject, eligible from ballot order by id"),
      vote: await sql.rows("select ballot_id, user_id, choice, tx_id from vote order by tx_id"),
    }),
  ) as Record<"org_member" | "ballot" | "vote", unknown[]>;
}

/** A voting replica on the stack's database, reading `profile`'s chain (as after a restart). */
function replicaOn(stack: ChainStack, profile: ConnectionProfile): Promise<VotingService> {
  const env = parseEnv(votingEnvSchema, {
    NODE_ENV: "test",
    MYSQL_URL,
    REDIS_URL,
    VOTING_PORT: "0",
    VOTING_DB_NAME: stack.votingDbName,
    VOTING_REPLICA_ID: "chainid",
    VOTING_STREAM_PREFIX: stack.namespace,
    VOTING_DB_POOL_MAX: "4",
  });
  return startVotingService({ env, profile, clock: systemClock, logger: silentLogger });
}

async function ready(service: VotingService) {
  const res = await fetch(`${service.url.replace(/\/graphql$/, "")}/ready`);
  return { status: res.status, body: (await res.json()) as { checks: Record<string, string> } };
}

async function freshChain(
  channel?: string,
): Promise<{ profile: ConnectionProfile; chain: ChainClient; dispose(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "voting-devpeer-fresh-"));
  const devpeer: Devpeer = await createDevpeer({ dir, port: 0, ...(channel ? { channel } : {}) });
  const profile = await loadConnectionProfile(devpeer.connectionProfilePath);
  const chain = createChainClient({
    profile,
    reader: {
      identity: identityOf(profile.mspId, await readFile(profile.admin?.certPath ?? "", "utf8")),
      sign: privateKeySigner(await readFile(profile.admin?.keyPath ?? "", "utf8")),
    },
  });
  return {
    profile,
    chain,
    async dispose() {
      chain.dispose();
      await devpeer.dispose();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

const reindexOn = (stack: ChainStack, chain: ChainClient, say: (line: string) => void = () => {}) =>
  reindexVoting({
    orm: stack.votingDb,
    redis: stack.redis.client,
    chain,
    logger: silentLogger,
    namespace: stack.namespace,
    say,
  });

test("reindex rebuilds the voting read models equal to what the chain says", async (ctx) => {
  const before = await readModels(ctx.stack);
  const lines: string[] = [];
  await reindexOn(ctx.stack, ctx.stack.chain, (line) => lines.push(line));
  assert.equal(await readModels(ctx.stack), before);
  assert.ok(
    lines.some((line) => /caught up/.test(line)),
    lines.join("\n"),
  );
});

test("on a wiped chain voting is not ready with the mismatch and the fix; reindex recovers", async (ctx) => {
  const wiped = await freshChain();
  let service: VotingService | undefined;
  try {
    service = await replicaOn(ctx.stack, wiped.profile);
    const { status, body } = await ready(service);
    assert.is(status, 503);
    assert.match(body.checks.chain ?? "", /voting-indexer indexed channel "clearbook"/);
    assert.match(body.checks.chain ?? "", /npm run reindex -- voting/);
    assert.is((await readModels(ctx.stack)).org_member.length, 2, "the old read models stay untouched");
    await service.dispose();
    service = undefined;

    await reindexOn(ctx.stack, wiped.chain);
    assert.equal(await readModels(ctx.stack), { org_member: [], ballot: [], vote: [] });
    service = await replicaOn(ctx.stack, wiped.profile);
    assert.is((await ready(service)).status, 200);
  } finally {
    await service?.dispose();
    await wiped.dispose();
  }
});

test("a connection profile naming another channel meets the same refusal", async (ctx) => {
  const other = await freshChain("clearbook-staging");
  let service: VotingService | undefined;
  try {
    service = await replicaOn(ctx.stack, other.profile);
    const { status, body } = await ready(service);
    assert.is(status, 503);
    assert.match(body.checks.chain ?? "", /channel "clearbook-staging".*another channel/);
  } finally {
    await service?.dispose();
    await other.dispose();
  }
});

test.run();
