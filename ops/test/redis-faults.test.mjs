// Redis is the transport, MySQL the source of truth (DESIGN.md): losing Redis loses no command.
// A whole `npm start` runs against a PRIVATE redis-server started here on a free port (never the
// shared one: these tests flush it and stop it), and a vote burst and a deposit flow go through the
// gateway while (a) Redis is flushed and restarted empty, (b) Redis is stopped for a while. Every
// command must reach the chain exactly once, every read model must converge, and no service may
// need a restart (issue 16, "Nothing lost, nothing stuck"; decision 0382).
import { spawn } from "node:child_process";
import { mkdtempSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { answers, descendants, freePort, graphql, isolatedStack, startStack, stopAndCheck } from "../stack-harness.mjs";

/** How long Redis stays down in (b): the 20 s (decision 0382 says what a shorter one still tests). */
const OUTAGE_MS = Number(process.env.REDIS_FAULT_OUTAGE_MS || 20_000);
/** Re-relay of commands without an outcome, shortened so a flush is repaired in seconds, not a minute. */
const RERELAY_AFTER_MS = 3000;
const CONVERGE_MS = 90_000;

/** A redis-server of this test's own: AOF in a temp folder, so a stop and start keeps its data. */
function privateRedis(port) {
  const dir = mkdtempSync(join(tmpdir(), "clearbook-redis-faults-"));
  let child;
  const server = {
    url: `redis://127.0.0.1:${port}`,
    async start() {
      child = spawn(
        "redis-server",
        ["--bind", "127.0.0.1", "--port", String(port), "--dir", dir, "--appendonly", "yes", "--save", ""],
        { stdio: "ignore" },
      );
      const deadline = Date.now() + 10_000;
      while (!(await answers(port))) {
        if (Date.now() > deadline) throw new Error("the private redis-server did not start");
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async stop() {
      if (!child || child.exitCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    },
    async command(...args) {
      const { Redis } = await import("ioredis");
      const redis = new Redis(server.url, { maxRetriesPerRequest: 1 });
      try {
        return await redis.call(...args);
      } finally {
        redis.disconnect();
      }
    },
    async dispose() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return server;
}

/**
 * Pauses and resumes the stack's signer (SIGSTOP/SIGCONT), so commands pile up on `cmd:*` unread and
 * a flush surely catches some in flight.
 */
function signerOf(run) {
  const pids = descendants(run.child.pid).filter((pid) => {
    try {
      return readlinkSync(`/proc/${pid}/cwd`).endsWith("/chaincode/signer");
    } catch {
      return false;
    }
  });
  if (pids.length === 0) throw new Error("no signer process found");
  const signal = (name) => {
    for (const pid of pids) {
      try {
        process.kill(pid, name);
      } catch {}
    }
  };
  return { pause: () => signal("SIGSTOP"), resume: () => signal("SIGCONT") };
}

const Faults = suite("Redis faults under load");
let redis;
let stack;
let run;
let url;
let ballotId;
let orgId;
const tokens = new Map();

async function gql(query, variables, token) {
  return graphql(url, query, variables, token);
}

async function logIn(email) {
  const res = await gql(
    'mutation($e: String!, $p: String!) { logIn(email: $e, password: $p, deviceName: "faults") { accessToken } }',
    { e: email, p: "clearbook-demo" },
  );
  const token = res.data?.logIn?.accessToken;
  if (!token) throw new Error(`log-in as ${email} failed: ${JSON.stringify(res.errors)}`);
  return token;
}

const memberEmail = (i) => `member${String(i).padStart(2, "0")}@clearbook.dev`;

/** Polls `check` until it returns a truthy value; fails with `what` (and the last value) after `ms`. */
async function eventually(what, check, ms = CONVERGE_MS) {
  const deadline = Date.now() + ms;
  let last;
  for (;;) {
    try {
      last = await check();
      if (last === true) return;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() > deadline)
      throw new Error(`${what} within ${ms / 1000}s; last: ${JSON.stringify(last)}\n${run.tail(40)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Casts `rounds` votes per member back to back; calls `midway` once half of them were sent. */
async function voteBurst(members, rounds, flip, midway) {
  const last = new Map();
  const accepted = [];
  let sent = 0;
  const total = members.length * rounds;
  for (let round = 0; round < rounds; round++) {
    await Promise.all(
      members.map(async (email, i) => {
        // The same choice all burst long: a command re-sent after the fault may reach the chain after a
        // newer one of the same member, and the chain keeps the last to arrive (see decision 0382).
        const choice = (i + flip) % 3 === 0 ? "REJECT" : "APPROVE";
        const res = await gql(
          "mutation($b: ID!, $c: VoteChoice!) { castVote(ballotId: $b, choice: $c) { choice pending } }",
          { b: ballotId, c: choice },
          tokens.get(email),
        ).catch((error) => ({ errors: [{ message: String(error) }] }));
        if (!res.errors) {
          accepted.push({ email, choice });
          last.set(email, choice);
        }
      }),
    );
    sent += members.length;
    if (midway && sent >= total / 2) {
      const step = midway;
      midway = undefined;
      await step();
    }
  }
  return { last, accepted };
}

/** Submits a deposit as a member and has the council approve it at once. @returns the entry id. */
async function depositFlow(n, amount) {
  const submitted = await gql(
    `mutation($input: DepositInput!) { submitDeposit(input: $input) { id status } }`,
    {
      input: {
        orgId,
        eventName: `Fault drill ${n}`,
        year: 2026,
        semester: 1,
        amount: String(amount),
        evidenceIds: [],
        idempotencyKey: `faults-${process.pid}-${n}`,
      },
    },
    tokens.get(memberEmail(1)),
  );
  if (submitted.errors) throw new Error(`submitDeposit: ${JSON.stringify(submitted.errors)}`);
  const id = submitted.data.submitDeposit.id;
  return {
    id,
    async approve() {
      // Retried across the fault: the mutation is idempotent for the same entry.
      await eventually("approveDeposit accepted", async () => {
        const res = await gql(
          "mutation($id: ID!) { approveDeposit(entryId: $id) { id status } }",
          { id },
          tokens.get("council"),
        );
        return res.errors ? res.errors : true;
      });
    },
  };
}

async function treasury() {
  const res = await gql("query($id: ID!) { organization(id: $id) { treasuryBalance } }", { id: orgId });
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return BigInt(res.data.organization.treasuryBalance);
}

/** Every member's last accepted vote shows committed, and the tally counts each member's last vote once. */
async function votesConverged(before, last) {
  await eventually("every vote committed and the tally converged", async () => {
    const mine = await Promise.all(
      [...last.keys()].map(async (email) => {
        const res = await gql(
          "query($b: ID!) { ballot(id: $b) { myVote myVotePending } }",
          { b: ballotId },
          tokens.get(email),
        );
        return res.data?.ballot;
      }),
    );
    const stuck = mine.filter((b, i) => !b || b.myVotePending || b.myVote !== [...last.values()][i]);
    if (stuck.length > 0) return { stuck: stuck.length };
    const res = await gql("query($b: ID!) { ballot(id: $b) { tally { approve reject } } }", { b: ballotId });
    const tally = res.data?.ballot?.tally;
    const approve = [...last.values()].filter((c) => c === "APPROVE").length;
    const expected = { approve: before.approve + approve, reject: before.reject + (last.size - approve) };
    return tally?.approve === expected.approve && tally?.reject === expected.reject ? true : { tally, expected };
  });
}

async function entryApproved(id) {
  await eventually(`deposit ${id} approved`, async () => {
    const res = await gql("query($id: ID!) { ledgerEntry(id: $id) { status } }", { id });
    return res.data?.ledgerEntry?.status === "APPROVED" ? true : res.data?.ledgerEntry;
  });
}

Faults.before(async () => {
  redis = privateRedis(await freePort());
  await redis.start();
  stack = await isolatedStack({ name: "faults", redisUrl: redis.url });
  Object.assign(stack.env, {
    LEDGER_RERELAY_AFTER_MS: String(RERELAY_AFTER_MS),
    VOTING_RERELAY_AFTER_MS: String(RERELAY_AFTER_MS),
    // A paused signer has at most this many entries in its socket buffer (its XREADGROUP COUNT): the
    // rest of a burst waits unread on cmd:*, where a flush loses it.
    SIGNER_CONCURRENCY: "4",
    // One client polls for many members here; the per-IP limit is not under test.
    GATEWAY_RATE_IP: "100000",
  });
  url = stack.graphqlUrl;
  run = startStack(stack, { args: ["--no-build"] });
  try {
    await run.up(180_000);
  } catch (error) {
    throw new Error(`${error.message}\n${run.tail()}`);
  }
  const books = await gql("{ organizations { id ballots(status: OPEN) { id } } }");
  const org = books.data.organizations.find((o) => o.ballots.length > 0);
  orgId = org.id;
  ballotId = org.ballots[0].id;
  tokens.set("council", await logIn("council@clearbook.dev"));
  for (let i = 1; i <= 12; i++) tokens.set(memberEmail(i), await logIn(memberEmail(i)));
});

Faults.after(async () => {
  if (process.env.REDIS_FAULT_LOG) writeFileSync(process.env.REDIS_FAULT_LOG, run?.lines.join("\n") ?? "");
  const problems = run ? await stopAndCheck(stack, run, "SIGTERM") : [];
  await stack?.cleanUp().catch(() => {});
  await redis?.dispose();
  if (problems.length) throw new Error(problems.join("\n"));
});

/** The tally now, less the votes the test's members already hold: what their new votes add to. */
async function tallyNow() {
  const res = await gql("query($b: ID!) { ballot(id: $b) { tally { approve reject } } }", { b: ballotId });
  if (res.errors) throw new Error(`ballot: ${JSON.stringify(res.errors)}\n${run.tail(40)}`);
  const tally = { ...res.data.ballot.tally };
  for (const [email, token] of tokens) {
    if (email === "council") continue;
    const mine = await gql("query($b: ID!) { ballot(id: $b) { myVote } }", { b: ballotId }, token);
    if (mine.data?.ballot?.myVote === "APPROVE") tally.approve--;
    if (mine.data?.ballot?.myVote === "REJECT") tally.reject--;
  }
  return tally;
}

Faults(
  "FLUSHALL mid vote burst and deposit flow: every command reaches the chain once, read models converge",
  async () => {
    const members = [...tokens.keys()].filter((k) => k !== "council");
    const before = await tallyNow();
    const balance = await treasury();
    const deposit = await depositFlow(1, 12_345n);
    const signer = signerOf(run);
    let last;
    try {
      // Half the burst goes through; then the signer stalls, the rest of the burst and the deposit's
      // approval are relayed to cmd:* and wait there unread, and Redis loses them all.
      ({ last } = await voteBurst(members, 4, 0, async () => {
        signer.pause();
        await deposit.approve();
      }));
      await eventually(
        "votes waiting on cmd:voting",
        async () => Number(await redis.command("XLEN", `${stack.prefix}cmd:voting`)) > 0,
      );
      await redis.command("FLUSHALL");
    } finally {
      signer.resume();
    }
    await votesConverged(before, last);
    await entryApproved(deposit.id);
    assert.is(await treasury(), balance + 12_345n, "the deposit was credited exactly once");
  },
);

Faults(
  `Redis stopped for ${OUTAGE_MS / 1000} s mid burst: services ride it out and recover without a restart`,
  async () => {
    const members = [...tokens.keys()].filter((k) => k !== "council");
    const before = await tallyNow();
    const balance = await treasury();
    const deposit = await depositFlow(2, 777n);
    let restarted;
    let approved;
    const { last } = await voteBurst(members, 4, 1, async () => {
      await redis.stop();
      restarted = new Promise((r) => setTimeout(r, OUTAGE_MS)).then(() => redis.start());
      approved = deposit.approve();
    });
    await restarted;
    await approved;
    await votesConverged(before, last);
    await entryApproved(deposit.id);
    assert.is(await treasury(), balance + 777n, "the deposit was credited exactly once");
    assert.ok(run.child.exitCode === null, "npm start is still running");
  },
);

Faults.run();
