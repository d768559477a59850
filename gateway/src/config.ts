import { isDevelopmentMode, serviceEnv } from "@clearbook/kit";
import { z } from "zod";
import { realtimeEnvSchema } from "./realtime/realtime-options.js";

/** The subgraphs the gateway routes to, with the env variable that overrides each routing URL. */
export const SUBGRAPHS = {
  ledger: { env: "LEDGER_URL", url: "http://127.0.0.1:4001/graphql" },
  voting: { env: "VOTING_URL", url: "http://127.0.0.1:4002/graphql" },
  wallet: { env: "WALLET_URL", url: "http://127.0.0.1:4003/graphql" },
  marketplace: { env: "MARKETPLACE_URL", url: "http://127.0.0.1:4004/graphql" },
  withdrawal: { env: "WITHDRAWAL_URL", url: "http://127.0.0.1:4005/graphql" },
} as const;
export type SubgraphName = keyof typeof SUBGRAPHS;

const bool = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");
const int = (fallback: number) => z.coerce.number().int().nonnegative().default(fallback);
const httpUrl = (fallback: string) => z.url({ protocol: /^https?$/ }).default(fallback);

/** The gateway's environment: the kit's base variables, the realtime layer's, and its own. */
export const gatewayEnvSchema = serviceEnv({
  ...realtimeEnvSchema.shape,
  GATEWAY_HOST: z.string().min(1).default("127.0.0.1"),
  GATEWAY_PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  GATEWAY_WORKERS: z.coerce.number().int().min(1).max(256).default(1),
  GATEWAY_DATABASE: z
    .string()
    .regex(/^[A-Za-z0-9_]+$/)
    .default("clearbook_gateway"),
  GATEWAY_SUPERGRAPH_PATH: z.string().min(1).optional(),
  GATEWAY_INTROSPECT: bool.default(false),
  GATEWAY_APOLLO_TELEMETRY: bool.default(false),
  GATEWAY_MAX_BODY_BYTES: int(256 * 1024),
  GATEWAY_MAX_DEPTH: int(10),
  GATEWAY_MAX_COST: int(20000),
  GATEWAY_MAX_ALIASES: int(15),
  GATEWAY_MAX_DIRECTIVES: int(50),
  GATEWAY_MAX_TOKENS: int(2000),
  /** Longest document accepted, in characters (comments and whitespace count here, not as tokens). */
  GATEWAY_MAX_DOCUMENT_CHARS: int(16_384),
  /** Most APQ documents kept in Redis; the oldest registered go first. */
  GATEWAY_APQ_MAX_ENTRIES: int(10_000),
  GATEWAY_RATE_WINDOW_SECONDS: z.coerce.number().int().positive().default(60),
  GATEWAY_RATE_IP: int(600),
  GATEWAY_RATE_USER: int(1200),
  GATEWAY_RATE_PARTNER: int(3000),
  GATEWAY_TRUST_PROXY: bool.default(false),
  /** Proxies between clients and the gateway that append to x-forwarded-for (used when GATEWAY_TRUST_PROXY is on). */
  GATEWAY_TRUSTED_PROXY_HOPS: z.coerce.number().int().min(1).max(10).default(1),
  GATEWAY_DEDUPE: bool.default(true),
  /** The built web app served at `/` (`web/dist` of the repository by default; not served when absent). */
  GATEWAY_WEB_DIR: z.string().min(1).optional(),
  /** Extra persisted-operation manifests (the web app's by default), comma-separated paths. */
  GATEWAY_WEB_MANIFEST_PATH: z.string().min(1).optional(),
  /** Browsers may run only manifest operations; on by default in production (development keeps Sandbox). */
  GATEWAY_BROWSERS_PERSISTED_ONLY: bool.optional(),
  LEDGER_JWKS_URL: httpUrl("http://127.0.0.1:4001/.well-known/jwks.json"),
  LEDGER_URL: z.url({ protocol: /^https?$/ }).optional(),
  VOTING_URL: z.url({ protocol: /^https?$/ }).optional(),
  WALLET_URL: z.url({ protocol: /^https?$/ }).optional(),
  MARKETPLACE_URL: z.url({ protocol: /^https?$/ }).optional(),
  WITHDRAWAL_URL: z.url({ protocol: /^https?$/ }).optional(),
});
export type GatewayEnv = z.output<typeof gatewayEnvSchema>;

/** What `createGateway` needs; built from the environment by `parseGatewayEnv`, or by tests directly. */
export interface GatewayConfig {
  development: boolean;
  host: string;
  port: number;
  workers: number;
  redisUrl: string;
  /** Prefix of every Redis key the gateway writes (APQ cache, rate-limit counters). */
  redisPrefix: string;
  mysqlUrl: string;
  database: string;
  internalSecret: string;
  jwksUrl: string;
  /** Path of the supergraph file served (and watched); ignored when `introspect` is on. */
  supergraphPath: string;
  /** Development only: compose from the running subgraphs with IntrospectAndCompose instead of the file. */
  introspect: boolean;
  /** Routing URLs that override the supergraph's, by subgraph name (from `<NAME>_URL` when set). */
  subgraphUrls: Partial<Record<string, string>>;
  apolloTelemetry: boolean;
  maxBodyBytes: number;
  limits: {
    maxDepth: number;
    maxCost: number;
    maxAliases: number;
    maxDirectives: number;
    maxTokens: number;
    /** Longest document in characters (default 16,384). */
    maxDocumentChars?: number;
    /** Most APQ documents kept (default 10,000). */
    apqMaxEntries?: number;
  };
  rateLimit: { windowSeconds: number; perIp: number; perUser: number; perPartner: number };
  /** Take the client IP from `x-forwarded-for` (only behind a trusted proxy). */
  trustProxy: boolean;
  /** How many trusted proxies append to `x-forwarded-for`: the client is that many entries from the right (default 1). */
  trustedProxyHops?: number;
  /** Share identical in-flight queries and subgraph fetches (never mutations, never across scopes). */
  dedupe: boolean;
  /** Prefix of the session-revocation keys and channel the ledger writes (default ""; tests isolate with it). */
  sessionRevocationPrefix?: string;
  /** The directory of the built web app served at `/`; null or absent serves none. */
  webDir?: string | null;
  /** Requests from browsers must name a manifest operation (freeform documents and APQ are refused). */
  browsersPersistedOnly?: boolean;
}

/** Where the repository keeps what the gateway loads by default. */
export interface DefaultPaths {
  supergraph: string;
  webDir: string;
}

/** Maps the parsed environment onto the gateway's config. */
export function gatewayConfigFromEnv(e: GatewayEnv, defaults: DefaultPaths): GatewayConfig {
  const subgraphUrls: Record<string, string> = {};
  for (const [name, { env }] of Object.entries(SUBGRAPHS)) {
    const url = e[env];
    if (url) subgraphUrls[name] = url;
  }
  return {
    development: isDevelopmentMode(e.NODE_ENV),
    host: e.GATEWAY_HOST,
    port: e.GATEWAY_PORT,
    workers: e.GATEWAY_WORKERS,
    redisUrl: e.REDIS_URL,
    redisPrefix: "gw:",
    mysqlUrl: e.MYSQL_URL,
    database: e.GATEWAY_DATABASE,
    internalSecret: e.CLEARBOOK_INTERNAL_SECRET,
    jwksUrl: e.LEDGER_JWKS_URL,
    supergraphPath: e.GATEWAY_SUPERGRAPH_PATH ?? defaults.supergraph,
    introspect: e.GATEWAY_INTROSPECT && isDevelopmentMode(e.NODE_ENV),
    subgraphUrls,
    apolloTelemetry: e.GATEWAY_APOLLO_TELEMETRY,
    maxBodyBytes: e.GATEWAY_MAX_BODY_BYTES,
    limits: {
      maxDepth: e.GATEWAY_MAX_DEPTH,
      maxCost: e.GATEWAY_MAX_COST,
      maxAliases: e.GATEWAY_MAX_ALIASES,
      maxDirectives: e.GATEWAY_MAX_DIRECTIVES,
      maxTokens: e.GATEWAY_MAX_TOKENS,
      maxDocumentChars: e.GATEWAY_MAX_DOCUMENT_CHARS,
      apqMaxEntries: e.GATEWAY_APQ_MAX_ENTRIES,
    },
    rateLimit: {
      windowSeconds: e.GATEWAY_RATE_WINDOW_SECONDS,
      perIp: e.GATEWAY_RATE_IP,
      perUser: e.GATEWAY_RATE_USER,
      perPartner: e.GATEWAY_RATE_PARTNER,
    },
    trustProxy: e.GATEWAY_TRUST_PROXY,
    trustedProxyHops: e.GATEWAY_TRUSTED_PROXY_HOPS,
    dedupe: e.GATEWAY_DEDUPE,
    webDir: e.GATEWAY_WEB_DIR ?? defaults.webDir,
    browsersPersistedOnly: e.GATEWAY_BROWSERS_PERSISTED_ONLY ?? !isDevelopmentMode(e.NODE_ENV),
  };
}
