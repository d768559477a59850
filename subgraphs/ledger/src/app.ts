import type { IncomingMessage } from "node:http";
import {
  type Clock,
  createSubgraphServer,
  type Logger,
  type ReadinessCheck,
  revokeSessions,
  type ServiceMetrics,
  type SubgraphServer,
} from "@clearbook/kit";
import type { Redis } from "ioredis";
import { createLoginThrottle } from "./auth/login-throttle.js";
import { createSessionService } from "./auth/session.service.js";
import type { TokenKeys } from "./auth/token-keys.js";
import type { ChainCommands, ChainReads } from "./chain/chain.port.js";
import type { LedgerDatabase } from "./db/database.js";
import { createEntryService } from "./entries/entry.service.js";
import { createEvidenceService } from "./evidence/evidence.service.js";
import { createLocalEvidenceStore } from "./evidence/local-evidence-store.js";
import { createS3EvidenceStore, type S3EvidenceStoreOptions } from "./evidence/s3-evidence-store.js";
import { createSignedUrls } from "./evidence/signed-url.js";
import { createCallLimiter } from "./explorer/call-limiter.js";
import { createExplorerService } from "./explorer/explorer.service.js";
import { createLoaders, type LedgerContext, type LedgerServices } from "./graphql/context.js";
import { buildLedgerSchema } from "./graphql/schema.js";
import { createLedgerRoutes } from "./http/ledger-routes.js";
import { createOrganizationService } from "./org/organization.service.js";

export interface LedgerAppOptions {
  port: number;
  host?: string;
  internalSecret: string;
  /** Origin of signed evidence URLs (the gateway, which proxies `/evidence/*`). */
  publicUrl: string;
  /** Evidence files on local disk behind the ledger's own signed URLs (unless `evidenceS3` is given). */
  evidenceDir: string;
  /** Evidence files in an S3 bucket behind presigned URLs. */
  evidenceS3?: Omit<S3EvidenceStoreOptions, "clock">;
  evidenceUrlTtlSeconds: number;
  evidenceMaxBytes: number;
  accessTtlSeconds: number;
  refreshTtlDays: number;
  /** Redis key prefix of the log-in counters (`ledger:login:`; tests use `test:ledger:…`). */
  throttlePrefix: string;
  /** Attempts per account-and-IP before growing waits (never a lock that other IPs feel). */
  loginMaxFailuresPerAccount: number;
  /** Failures per IP across accounts within the window. */
  loginMaxFailuresPerIp: number;
  /** Prefix of the session-revocation keys and channel; the gateways must use the same (default ""). */
  sessionRevocationPrefix?: string;
  /** `verifyChain` calls per user (or address) per minute (default 20; each reads up to 1,000 blocks). */
  verifyChainPerMinute?: number;
  loginWindowSeconds: number;
  development: boolean;
}

export interface LedgerAppDeps {
  db: LedgerDatabase;
  redis: Redis;
  chain: ChainCommands;
  reads: ChainReads;
  keys: TokenKeys;
  clock: Clock;
  logger: Logger;
  metrics?: ServiceMetrics;
  /** More `/ready` checks (the indexer's chain check). */
  readiness?: ReadinessCheck[];
}

export interface LedgerApp {
  server: SubgraphServer;
  services: LedgerServices;
  listen(): Promise<string>;
  dispose(): Promise<void>;
}

/** The ledger's name in the supergraph: viewer headers must be signed for it (and for the body). */
export const LEDGER_AUDIENCE = "ledger";

/** The client IP a trusted proxy reported; null when none did (never the socket: that is the gateway). */
function clientIp(req: IncomingMessage): string | null {
  const forwarded = req.headers["x-forwarded-for"];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(",")[0]?.trim();
  return first && first.length <= 64 ? first : null;
}

/** The ledger's services over its dependencies (the API and the seed use the same ones). */
export function createLedgerServices(options: LedgerAppOptions, deps: LedgerAppDeps): LedgerServices {
  const { clock } = deps;
  const evidence = createEvidenceService({
    clock,
    store: options.evidenceS3
      ? createS3EvidenceStore({ ...options.evidenceS3, clock })
      : createLocalEvidenceStore({
          dir: options.evidenceDir,
          urls: createSignedUrls({ secret: `${options.internalSecret}:evidence-urls`, publicUrl: options.publicUrl }),
        }),
    urlTtlSeconds: options.evidenceUrlTtlSeconds,
    maxBytes: options.evidenceMaxBytes,
  });
  return {
    sessions: createSessionService({
      clock,
      keys: deps.keys,
      chain: deps.chain,
      throttle: createLoginThrottle({
        redis: deps.redis,
        prefix: options.throttlePrefix,
        maxPerAccount: options.loginMaxFailuresPerAccount,
        maxPerIp: options.loginMaxFailuresPerIp,
        windowSeconds: options.loginWindowSeconds,
      }),
      accessTtlSeconds: options.accessTtlSeconds,
      refreshTtlDays: options.refreshTtlDays,
      revoke: (revocation) =>
        revokeSessions(deps.redis, options.sessionRevocationPrefix ?? "", revocation, options.accessTtlSeconds + 60),
    }),
    orgs: createOrganizationService({ clock, chain: deps.chain }),
    entries: createEntryService({ clock, chain: deps.chain, reads: deps.reads, evidence }),
    evidence,
    explorer: createExplorerService({
      reads: deps.reads,
      verifyLimiter: createCallLimiter({
        redis: deps.redis,
        prefix: `${options.throttlePrefix}verify:`,
        perWindow: options.verifyChainPerMinute ?? 20,
        windowSeconds: 60,
      }),
    }),
    reads: deps.reads,
  };
}

/** Builds the ledger subgraph: services, GraphQL schema, HTTP routes. Reads no environment. */
export async function createLedgerApp(options: LedgerAppOptions, deps: LedgerAppDeps): Promise<LedgerApp> {
  const { clock } = deps;
  const services = createLedgerServices(options, deps);
  const server = createSubgraphServer<LedgerContext>({
    schema: await buildLedgerSchema(),
    port: options.port,
    host: options.host ?? "127.0.0.1",
    internalSecret: options.internalSecret,
    audience: LEDGER_AUDIENCE,
    logger: deps.logger,
    clock,
    development: options.development,
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
    readiness: [
      {
        name: "mysql",
        check: async () => {
          if (!(await deps.db.isReady())) throw new Error("the database does not answer");
        },
      },
      ...(deps.readiness ?? []),
    ],
    routes: createLedgerRoutes({ keys: deps.keys, evidence: services.evidence, fork: () => deps.db.fork(), clock }),
    context: (viewer, req) => {
      const em = deps.db.fork();
      return { viewer, em, ip: clientIp(req), services, loaders: createLoaders(em) };
    },
  });
  return {
    server,
    services,
    listen: () => server.listen(),
    dispose: async () => {
      await server.dispose();
      services.evidence.dispose();
    },
  };
}
