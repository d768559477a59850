import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { type AddressInfo, connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { composeServices } from "@apollo/composition";
import { type OperationDefinitionNode, parse, print } from "graphql";
import { type Client, createClient } from "graphql-ws";
import { createConnection } from "mysql2/promise";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import WebSocket from "ws";
import { type ChainStack, STACK_SECRET, startChainStack, waitFor } from "./chain-stack.js";
import { MYSQL_URL, REDIS_URL } from "./helpers.js";

/**
 * The first slice's story through the real gateway process: ledger and voting subgraphs on one
 * devpeer with the signer, the clients' operations from the API contract (copied into fixtures).
 */
interface Ctx {
  s: ChainStack;
  voting: ChildProcess;
  votingUrl: string;
  gateway: ChildProcess;
  url: string;
  dir: string;
  votingDb: string;
  gatewayDb: string;
  tokens: Record<string, string>;
  ids: Record<string, string>;
  ws: Client[];
}

/** A port free now (bound, then released) for a child process to bind by number. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
// Not fixed numbers: other checkouts run this test on the same machine at the same time.
const GATEWAY_PORT = await freePort();
const VOTING_PORT = await freePort();

/** Starts a package's `src/main.ts` as its own process (tsx applies each package's own tsconfig). */
function startMain(dir: string, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: fileURLToPath(new URL(`../../../${dir}`, import.meta.url)),
    env: {
      ...process.env,
      NODE_ENV: "test",
      MYSQL_URL,
      REDIS_URL,
      LOG_LEVEL: "warn",
      CLEARBOOK_INTERNAL_SECRET: STACK_SECRET,
      ...env,
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
}

async function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
  if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
}
const test = suite<Ctx>("the full story through the gateway (ledger, voting, signer, devpeer)");

const operations = new Map<string, string>();
for (const file of ["treasury-flow.graphql", "ballot.graphql"]) {
  const doc = parse(await readFile(new URL(`./fixtures/${file}`, import.meta.url), "utf8"));
  for (const def of doc.definitions) {
    const op = def as OperationDefinitionNode;
    if (op.name) operations.set(op.name.value, print(op));
  }
}
const op = (name: string) => {
  const text = operations.get(name);
  if (!text) throw new Error(`no operation ${name} in the fixtures`);
  return text;
};

type Reply = { data: Record<string, unknown>; errors?: { message: string; extensions?: { code?: string } }[] };

async function gql(ctx: Ctx, query: string, variables: Record<string, unknown> = {}, as?: string): Promise<Reply> {
  const token = as ? ctx.tokens[as] : undefined;
  const res = await fetch(`${ctx.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(15_000),
  });
  const json = (await res.json()) as { data?: Record<string, unknown> | null; errors?: Reply["errors"] };
  return { data: json.data ?? {}, ...(json.errors ? { errors: json.errors } : {}) };
}

const code = (reply: Reply) => reply.errors?.[0]?.extensions?.code ?? "ok";

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

test.before(async (ctx) => {
  ctx.tokens = {};
  ctx.ids = {};
  ctx.ws = [];
  ctx.s = await startChainStack("story");
  ctx.dir = await mkdtemp(join(tmpdir(), "ledger-story-"));
  ctx.votingDb = `clearbook_test_ledger_voting_${randomBytes(3).toString("hex")}`;
  ctx.gatewayDb = `clearbook_test_ledger_gw_${randomBytes(3).toString("hex")}`;
  const admin = await createConnection({ uri: MYSQL_URL });
  await admin.query(`create database \`${ctx.votingDb}\``);
  await admin.end();
  const migrated = spawnSync("npm", ["run", "--silent", "migrate", "-w", "@clearbook/voting"], {
    cwd: fileURLToPath(new URL("../../..", import.meta.url)),
    env: { ...process.env, VOTING_DB_NAME: ctx.votingDb, MYSQL_URL },
    timeout: 60_000,
    encoding: "utf8",
  });
  if (migrated.status !== 0) throw new Error(`voting migrations failed: ${migrated.stderr}`);
  ctx.voting = startMain("subgraphs/voting", {
    VOTING_PORT: String(VOTING_PORT),
    VOTING_DB_NAME: ctx.votingDb,
    VOTING_STREAM_PREFIX: ctx.s.ns,
    VOTING_REPLICA_ID: "story-voting",
    VOTING_FINALIZER_INTERVAL_MS: "200",
    FABRIC_CONNECTION_PROFILE: ctx.s.profilePath,
  });
  ctx.votingUrl = `http://127.0.0.1:${VOTING_PORT}`;
  await waitFor(() => portAnswers(VOTING_PORT), "the voting service to listen", 30_000);
  const sdl = async (name: string) =>
    parse(await readFile(new URL(`../../${name}/schema.graphql`, import.meta.url), "utf8"));
  const composed = composeServices([
    { name: "ledger", url: `${ctx.s.url}/graphql`, typeDefs: await sdl("ledger") },
    { name: "voting", url: `${ctx.votingUrl}/graphql`, typeDefs: await sdl("voting") },
  ]);
  if (!composed.supergraphSdl)
    throw new Error(`composition failed: ${composed.errors?.map((e) => e.message).join("; ")}`);
  const supergraph = join(ctx.dir, "supergraph.graphql");
  await writeFile(supergraph, composed.supergraphSdl);
  ctx.gateway = startMain("gateway", {
    GATEWAY_PORT: String(GATEWAY_PORT),
    GATEWAY_DATABASE: ctx.gatewayDb,
    GATEWAY_SUPERGRAPH_PATH: supergraph,
    LEDGER_URL: `${ctx.s.url}/graphql`,
    VOTING_URL: `${ctx.votingUrl}/graphql`,
    LEDGER_JWKS_URL: `${ctx.s.url}/.well-known/jwks.json`,
    REALTIME_STREAM_PREFIX: ctx.s.ns,
    // The test polls through the gateway; its per-IP limit is not what is under test here.
    GATEWAY_RATE_IP: "1000000",
    GATEWAY_RATE_USER: "1000000",
  });
  ctx.url = `http://127.0.0.1:${GATEWAY_PORT}`;
  await waitFor(() => portAnswers(GATEWAY_PORT), "the gateway to listen", 30_000);
});

test.after(async (ctx) => {
  for (const client of ctx.ws ?? []) await client.dispose();
  await stop(ctx.gateway);
  await stop(ctx.voting);
  await ctx.s?.dispose();
  const admin = await createConnection({ uri: MYSQL_URL });
  await admin.query(`drop database if exists \`${ctx.votingDb}\``);
  await admin.query(`drop database if exists \`${ctx.gatewayDb}\``);
  await admin.end();
  await rm(ctx.dir, { recursive: true, force: true });
});

test("accounts, an organization and its members: each signs up and at once asks to join, and is approved at once", async (ctx) => {
  const admin = await ctx.s.app.services.sessions.signUp(
    ctx.s.db.fork(),
    { email: "admin@story.test", password: "a long password", displayName: "Admin" },
    "seed",
    ["ADMIN"],
  );
  ctx.ids.admin = admin.user.id;
  await ctx.s.enrollAdmin(admin.user.id); // an operator's step: no stream may ask for an admin identity
  ctx.tokens.admin = admin.accessToken;
  const signUp = async (name: string) => {
    const res = await gql(ctx, op("SignUp"), {
      input: { email: `${name}@story.test`, password: "a long password", displayName: name },
    });
    assert.is(code(res), "ok", JSON.stringify(res.errors));
    const login = await gql(ctx, op("LogIn"), { email: `${name}@story.test`, password: "a long password" });
    const auth = login.data.logIn as { accessToken: string; user: { id: string } };
    ctx.tokens[name] = auth.accessToken;
    ctx.ids[name] = auth.user.id;
  };
  await signUp("council");
  // No wait for Fabric identities anywhere: each command is accepted while they are being issued and
  // carried out once they exist (decision 0300).
  const org = await gql(
    ctx,
    `mutation($f: ID!) { createOrganization(name: "Story Council", founderId: $f) { id } }`,
    { f: ctx.ids.council },
    "admin",
  );
  assert.is(code(org), "ok", JSON.stringify(org.errors));
  ctx.ids.org = (org.data.createOrganization as { id: string }).id;
  await waitFor(
    async () => ((await gql(ctx, "{ organizations { id } }")).data.organizations as unknown[]).length === 1,
    "the organization",
  );
  for (const name of ["alice", "bob", "carol"]) {
    // A newcomer signs up and at once asks to join; the council approves at once (the approval
    // waits for the request's transaction, which waits for the newcomer's identity).
    await signUp(name);
    const req = await gql(ctx, op("RequestMembership"), { orgId: ctx.ids.org }, name);
    assert.is(code(req), "ok", JSON.stringify(req.errors));
    const id = (req.data.requestMembership as { id: string }).id;
    const approved = await gql(ctx, op("ApproveMembership"), { id }, "council");
    assert.is(code(approved), "ok", JSON.stringify(approved.errors));
  }
  await signUp("mallory");
  await waitFor(async () => {
    const r = await gql(ctx, `query($o: ID!) { organization(id: $o) { members { totalCount } } }`, { o: ctx.ids.org });
    return (r.data.organization as { members: { totalCount: number } }).members.totalCount === 4;
  }, "four members");
});

test("a deposit with evidence is approved by the council, and every refusal has its code", async (ctx) => {
  const body = Buffer.from("receipt: bake sale, 125.00");
  const sha256 = createHash("sha256").update(body).digest("hex");
  const upload = await gql(
    ctx,
    op("EvidenceUpload"),
    { input: { fileName: "receipt.txt", contentType: "text/plain", size: body.length, sha256 } },
    "alice",
  );
  const { uploadUrl, evidence } = upload.data.createEvidenceUpload as { uploadUrl: string; evidence: { id: string } };
  // The gateway does not proxy /evidence yet: upload to the ledger port with the same signed path.
  const put = await fetch(`${ctx.s.url}${new URL(uploadUrl).pathname}${new URL(uploadUrl).search}`, {
    method: "PUT",
    headers: { "content-type": "text/plain" },
    body,
  });
  assert.is(put.status, 204);
  const input = {
    orgId: ctx.ids.org,
    eventName: "Bake sale",
    year: 2026,
    semester: 1,
    amount: "12500",
    evidenceIds: [evidence.id],
    idempotencyKey: "story-bake",
  };
  assert.is(
    code(await gql(ctx, op("SubmitDeposit"), { input: { ...input, amount: "-5", idempotencyKey: "neg" } }, "alice")),
    "BAD_USER_INPUT",
  );
  assert.is(
    code(await gql(ctx, op("SubmitDeposit"), { input: { ...input, amount: "1.5", idempotencyKey: "frac" } }, "alice")),
    "BAD_USER_INPUT",
  );
  assert.is(
    code(await gql(ctx, op("SubmitDeposit"), { input: { ...input, idempotencyKey: "stranger" } }, "mallory")),
    "FORBIDDEN",
  );
  const submitted = await gql(ctx, op("SubmitDeposit"), { input }, "alice");
  const entry = submitted.data.submitDeposit as { id: string; status: string; tx: { txId: string; status: string } };
  assert.is(entry.status, "PENDING");
  assert.is(entry.tx.status, "PENDING");
  // No wait for the deposit to commit: the council's approval below waits for it (decision 0300).
  const own = await gql(
    ctx,
    op("SubmitDeposit"),
    { input: { ...input, amount: "500", evidenceIds: [], idempotencyKey: "own" } },
    "council",
  );
  const ownId = (own.data.submitDeposit as { id: string }).id;
  assert.is(
    code(await gql(ctx, op("ApproveDeposit"), { id: ownId }, "council")),
    "FORBIDDEN",
    "a submitter approves their own deposit",
  );
  assert.is(
    code(await gql(ctx, op("ApproveDeposit"), { id: entry.id }, "bob")),
    "FORBIDDEN",
    "a member is not council",
  );
  assert.is(code(await gql(ctx, op("ApproveDeposit"), { id: entry.id }, "council")), "ok");
  await waitFor(async () => {
    const r = await gql(ctx, `query($o: ID!) { organization(id: $o) { treasuryBalance } }`, { o: ctx.ids.org });
    return (r.data.organization as { treasuryBalance: string }).treasuryBalance === "12500";
  }, "the treasury to hold the deposit");
});

test("spending opens a ballot; members vote and watch the tally; the ballot finalizes and the entry follows", async (ctx) => {
  const spend = {
    orgId: ctx.ids.org,
    eventName: "Posters",
    year: 2026,
    semester: 1,
    amount: "99999",
    payeeAddress: "print-shop",
    evidenceIds: [],
    idempotencyKey: "too-much",
  };
  assert.is(code(await gql(ctx, op("ProposeSpending"), { input: spend }, "council")), "INSUFFICIENT_FUNDS");
  assert.is(code(await gql(ctx, op("ProposeSpending"), { input: { ...spend, amount: "5000" } }, "alice")), "FORBIDDEN");
  const proposed = await gql(
    ctx,
    op("ProposeSpending"),
    { input: { ...spend, amount: "5000", idempotencyKey: "posters" } },
    "council",
  );
  const entryId = (proposed.data.proposeSpending as { id: string }).id;
  const ballotId = await waitFor(async () => {
    const r = await gql(ctx, `query($id: ID!) { ledgerEntry(id: $id) { status ballot { id status } } }`, {
      id: entryId,
    });
    const e = r.data.ledgerEntry as { status: string; ballot: { id: string } | null };
    return e.status === "VOTING" && e.ballot ? e.ballot.id : undefined;
  }, "the ballot to open");

  const tallies: { approve: number; reject: number }[] = [];
  const ws = createClient({ url: `ws://127.0.0.1:${GATEWAY_PORT}/graphql`, webSocketImpl: WebSocket, lazy: false });
  ctx.ws.push(ws);
  ws.subscribe(
    { query: op("LiveTally"), variables: { ballotId } },
    {
      next: (value) =>
        tallies.push((value.data as { voteTallyChanged: { approve: number; reject: number } }).voteTallyChanged),
      error: () => {},
      complete: () => {},
    },
  );
  await new Promise((r) => setTimeout(r, 300));

  assert.is(
    code(await gql(ctx, op("CastVote"), { ballotId, choice: "APPROVE" }, "mallory")),
    "FORBIDDEN",
    "a non-member votes",
  );
  assert.is(
    code(
      await gql(ctx, op("CastVote"), { ballotId: "00000000-0000-0000-0000-000000000000", choice: "APPROVE" }, "alice"),
    ),
    "NOT_FOUND",
  );
  for (const name of ["alice", "bob", "carol"]) {
    const vote = await gql(ctx, op("CastVote"), { ballotId, choice: "APPROVE" }, name);
    assert.is(code(vote), "ok", JSON.stringify(vote.errors));
    const receipt = vote.data.castVote as { tx: { txId: string; status: string } } | undefined;
    assert.match(receipt?.tx.txId ?? JSON.stringify(vote), /^[0-9a-f]{64}$/);
  }
  await waitFor(async () => tallies.some((t) => t.approve === 3), "the tally push with three approvals");
  // Three of four approve: no remaining vote can change the outcome, so the ballot closes early.
  await waitFor(
    async () => {
      const r = await gql(ctx, `query($id: ID!) { ledgerEntry(id: $id) { status ballot { status } } }`, {
        id: entryId,
      });
      return (r.data.ledgerEntry as { status: string }).status === "APPROVED";
    },
    "the spending to be approved",
    30_000,
  );
  const late = await gql(ctx, op("CastVote"), { ballotId, choice: "REJECT" }, "council");
  assert.is(code(late), "BALLOT_CLOSED", "a vote after close");
  const explorer = await gql(ctx, op("Explorer"));
  assert.equal((explorer.data.verifyChain as { ok: boolean }).ok, true);
});

test.run();
