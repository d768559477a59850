// `npm run bench -w @clearbook/ledger`: deposits through the ledger subgraph on a real chain
// (in-process devpeer and signer): mutation latency, and submit-to-indexed latency, sequential and
// concurrent. Also argon2id hashing time. Prints one JSON report.
import { performance } from "node:perf_hooks";
import { hashPassword, verifyPassword } from "../src/auth/password.js";
import { FabricIdentityEntity } from "../src/db/fabric-identity.entity.js";
import { startChainStack, waitFor } from "../test/chain-stack.js";

const pct = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0);
};

const hashes: number[] = [];
for (let i = 0; i < 20; i++) {
  const t = performance.now();
  const phc = await hashPassword(`password number ${i}`);
  hashes.push(performance.now() - t);
  await verifyPassword(phc, "x");
}

const s = await startChainStack("bench");
try {
  const admin = await s.app.services.sessions.signUp(
    s.db.fork(),
    { email: "a@b.c", password: "a long password", displayName: "A" },
    "bench",
    ["ADMIN"],
  );
  const council = await s.app.services.sessions.signUp(s.db.fork(), {
    email: "c@b.c",
    password: "a long password",
    displayName: "C",
  });
  await waitFor(async () => (await s.db.fork().count(FabricIdentityEntity, {})) === 2, "identities");
  const org = await s.gql(
    `mutation($f: ID!) { createOrganization(name: "Bench org", founderId: $f) { id } }`,
    { f: council.user.id },
    { sub: admin.user.id, roles: ["ADMIN"] },
  );
  const orgId = (org.data.createOrganization as { id: string }).id;
  await waitFor(
    async () => ((await s.gql(`{ organizations { id } }`)).data.organizations as unknown[]).length === 1,
    "org",
  );

  const run = async (n: number, concurrency: number) => {
    const mutation: number[] = [];
    const indexed: number[] = [];
    const started = new Map<string, number>();
    let next = 0;
    const t0 = performance.now();
    const worker = async () => {
      while (next < n) {
        const i = next++;
        const t = performance.now();
        const res = await s.gql(
          `mutation($i: DepositInput!) { submitDeposit(input: $i) { id } }`,
          {
            i: {
              orgId,
              eventName: `Bench ${concurrency}-${i}`,
              year: 2026,
              semester: 1,
              amount: "100",
              evidenceIds: [],
              idempotencyKey: `b-${concurrency}-${i}`,
            },
          },
          { sub: council.user.id },
        );
        mutation.push(performance.now() - t);
        started.set((res.data.submitDeposit as { id: string }).id, t);
      }
    };
    // Watch commits while submitting, so each latency is its own (not the end of the run).
    const indexedIds = new Set<string>();
    let done = false;
    const watcher = (async () => {
      for (;;) {
        const ids = [...started.keys()].filter((id) => !indexedIds.has(id));
        if (ids.length) {
          const rows = await s.db
            .fork()
            .getConnection()
            .execute<{ id: string }[]>(
              `select e.id from ledger_entries e join chain_transactions t on t.tx_id = e.tx_id
              where t.status = 'COMMITTED' and e.id in (${ids.map(() => "?").join(",")})`,
              ids,
            );
          const now = performance.now();
          for (const { id } of rows) {
            indexedIds.add(id);
            indexed.push(now - (started.get(id) ?? now));
          }
        }
        if (done && indexedIds.size === n) break;
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    await Promise.all(Array.from({ length: concurrency }, worker));
    done = true;
    await Promise.race([
      watcher,
      new Promise((_, reject) => setTimeout(() => reject(new Error("commits timed out")), 120_000)),
    ]);
    const seconds = (performance.now() - t0) / 1000;
    return {
      deposits: n,
      concurrency,
      committedPerSecond: Math.round(n / seconds),
      mutationMs: { p50: pct(mutation, 50), p99: pct(mutation, 99) },
      submitToCommittedMs: { p50: pct(indexed, 50), p99: pct(indexed, 99) },
    };
  };
  const sequential = await run(50, 1);
  const concurrent = await run(300, 32);
  process.stdout.write(
    `${JSON.stringify({ argon2idHashMs: { p50: pct(hashes, 50), p99: pct(hashes, 99) }, sequential, concurrent }, null, 2)}\n`,
  );
} finally {
  await s.dispose();
}
