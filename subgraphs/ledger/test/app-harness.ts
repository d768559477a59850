import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger, signViewer } from "@clearbook/kit";
import { createLedgerApp, type LedgerApp, type LedgerAppOptions } from "../src/app.js";
import { createTokenKeys, generatePrivateJwk } from "../src/auth/token-keys.js";
import { applyChainEvent, type CommittedEvent } from "../src/indexer/projection.js";
import { membershipApproved, orgCreated } from "./chain-events.js";
import { createTestDatabase, createTestRedis, newClock, plain, RecordingChain } from "./helpers.js";

export const SECRET = "test-ledger-internal-secret-0123456789";

interface GqlError {
  message: string;
  extensions?: { code?: string };
}

export interface Harness {
  app: LedgerApp;
  url: string;
  db: Awaited<ReturnType<typeof createTestDatabase>>;
  redis: Awaited<ReturnType<typeof createTestRedis>>;
  chain: RecordingChain;
  clock: ReturnType<typeof newClock>;
  evidenceDir: string;
  /** Runs an operation as `sub` (null = anonymous) with platform `roles`. */
  gql(
    query: string,
    variables?: Record<string, unknown>,
    as?: { sub: string | null; roles?: "ADMIN"[] },
  ): Promise<{ data: Record<string, unknown>; errors?: GqlError[] }>;
  dispose(): Promise<void>;
}

/**
 * The ledger subgraph on a free port, over a fresh database and Redis prefix, with a recording chain;
 * `options` override the test defaults (an S3 evidence store, say).
 */
export async function startHarness(name: string, options: Partial<LedgerAppOptions> = {}): Promise<Harness> {
  const db = await createTestDatabase(name);
  const redis = await createTestRedis(name);
  const chain = new RecordingChain();
  const clock = newClock();
  clock.set(Date.now());
  const evidenceDir = await mkdtemp(join(tmpdir(), "ledger-evidence-"));
  const app = await createLedgerApp(
    {
      port: 0,
      internalSecret: SECRET,
      publicUrl: "http://gateway.test",
      evidenceDir,
      evidenceUrlTtlSeconds: 60,
      evidenceMaxBytes: 1024,
      accessTtlSeconds: 900,
      refreshTtlDays: 30,
      throttlePrefix: `${redis.prefix}login:`,
      sessionRevocationPrefix: redis.prefix,
      loginMaxFailuresPerAccount: 5,
      loginMaxFailuresPerIp: 50,
      loginWindowSeconds: 60,
      development: false,
      ...options,
    },
    {
      db,
      redis: redis.client,
      chain,
      reads: chain,
      keys: await createTokenKeys(await generatePrivateJwk()),
      clock,
      logger: createLogger({ name: "ledger-test", level: "silent" }),
    },
  );
  const url = await app.listen();
  return {
    app,
    url,
    db,
    redis,
    chain,
    clock,
    evidenceDir,
    async gql(query, variables = {}, as = { sub: null }) {
      const body = JSON.stringify({ query, variables });
      const res = await fetch(`${url}/graphql`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-clearbook-viewer": signViewer({ sub: as.sub, roles: as.roles ?? [], partner: null, rid: "test" }, SECRET, {
            nowMs: clock.now(),
            binding: { audience: "ledger", body },
          }),
        },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      const json = plain((await res.json()) as { data?: Record<string, unknown> | null; errors?: GqlError[] });
      return { data: json.data ?? {}, ...(json.errors ? { errors: json.errors } : {}) };
    },
    async dispose() {
      await app.dispose();
      await db.dispose();
      await redis.dispose();
      await rm(evidenceDir, { recursive: true, force: true });
    },
  };
}

/** Applies a chain event as the indexer does when the chain commits it, at the harness's clock. */
export async function commit(h: Harness, event: CommittedEvent): Promise<void> {
  await h.db.fork().transactional((em) => applyChainEvent(em, event, h.clock));
}

/**
 * Through the API, as each user: `admin` creates an organization founded by `council`, `member` asks to
 * join and `council` approves; each step committed as the chain would. Returns the organization's id.
 */
export async function organizationWithMember(
  h: Harness,
  users: { admin: string; council: string; member: string },
): Promise<string> {
  const created = await h.gql(
    `mutation($f: ID!) { createOrganization(name: "Student Council", founderId: $f) { id } }`,
    { f: users.council },
    { sub: users.admin, roles: ["ADMIN"] },
  );
  const orgId = (created.data.createOrganization as { id: string }).id;
  await commit(h, orgCreated(h.chain.last().txId, orgId, "Student Council", users.council));
  const requested = await h.gql(
    `mutation($o: ID!) { requestMembership(orgId: $o) { id } }`,
    { o: orgId },
    { sub: users.member },
  );
  const requestId = (requested.data.requestMembership as { id: string }).id;
  await h.gql(
    `mutation($id: ID!) { approveMembership(requestId: $id) { id } }`,
    { id: requestId },
    { sub: users.council },
  );
  await commit(h, membershipApproved(h.chain.last().txId, requestId, orgId, users.member, users.council));
  return orgId;
}
