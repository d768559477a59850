import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { createLogger } from "@clearbook/kit";
import { Redis } from "ioredis";
import { createLocalJWKSet, exportJWK, generateKeyPair, type JWTPayload, SignJWT } from "jose";
import type { GatewayConfig } from "../src/config.js";
import { createGateway, type Gateway, type GatewayDeps } from "../src/gateway.js";
import { parseManifest } from "../src/persisted-manifest.js";
import { INTERNAL_SECRET } from "./fixtures/subgraphs.js";

export const manifest = parseManifest(
  JSON.parse(readFileSync(new URL("../persisted/manifest.json", import.meta.url), "utf8")),
);

/** Production behaviour (no introspection, no suggestions, no stack traces) unless a test says otherwise. */
export function testConfig(overrides: Partial<GatewayConfig> = {}): GatewayConfig {
  const redisPrefix = `test:gateway:${randomUUID().slice(0, 8)}:`;
  return {
    development: false,
    host: "127.0.0.1",
    port: 0,
    workers: 1,
    redisUrl: "redis://127.0.0.1:6379",
    redisPrefix,
    sessionRevocationPrefix: redisPrefix,
    mysqlUrl: "mysql://root@127.0.0.1:3306",
    database: "clearbook_test_gateway",
    internalSecret: INTERNAL_SECRET,
    jwksUrl: "http://127.0.0.1:1/unused",
    supergraphPath: "/nonexistent",
    introspect: false,
    subgraphUrls: {},
    apolloTelemetry: false,
    maxBodyBytes: 64 * 1024,
    limits: { maxDepth: 10, maxCost: 5000, maxAliases: 15, maxDirectives: 50, maxTokens: 2000 },
    rateLimit: { windowSeconds: 60, perIp: 10_000, perUser: 10_000, perPartner: 10_000 },
    trustProxy: false,
    dedupe: true,
    webDir: null,
    browsersPersistedOnly: false,
    ...overrides,
  };
}

/** An ES256 key pair standing in for the ledger's, and a signer for access tokens. */
export async function testIssuer() {
  const { publicKey, privateKey } = await generateKeyPair("ES256");
  const jwk = { ...(await exportJWK(publicKey)), kid: "test", alg: "ES256" };
  const jwks = createLocalJWKSet({ keys: [jwk] });
  const sign = (
    claims: JWTPayload & { sub: string },
    options: { expiresIn?: string | number; key?: Parameters<SignJWT["sign"]>[0] } = {},
  ) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: "ES256", kid: "test" })
      .setIssuer("clearbook")
      .setAudience("clearbook")
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? "15m")
      .sign(options.key ?? privateKey);
  return { jwks, sign };
}

export interface TestGateway {
  url: string;
  gateway: Gateway;
  redis: Redis;
  config: GatewayConfig;
  post(
    body: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; headers: Headers; json: GraphQLBody }>;
  dispose(): Promise<void>;
}

export interface GraphQLBody {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

/** Starts a gateway on a free port with a private Redis prefix; `dispose` deletes its keys. */
export async function startTestGateway(
  config: GatewayConfig,
  deps: Omit<GatewayDeps, "logger" | "manifest" | "redis"> & Partial<Pick<GatewayDeps, "manifest">>,
): Promise<TestGateway> {
  const redis = new Redis(config.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 2 });
  const gateway = await createGateway(config, {
    logger: createLogger({ name: "gateway-test", level: "silent" }),
    manifest,
    redis,
    partnerKeys: null,
    ...deps,
  });
  await new Promise<void>((resolve) => gateway.httpServer.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(gateway.httpServer.address() as AddressInfo).port}`;
  return {
    url,
    gateway,
    redis,
    config,
    async post(body, headers = {}) {
      const response = await fetch(`${url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: typeof body === "string" ? body : JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
      const text = await response.text();
      return { status: response.status, headers: response.headers, json: JSON.parse(text) as GraphQLBody };
    },
    async dispose() {
      await gateway.dispose();
      const keys = await redis.keys(`${config.redisPrefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    },
  };
}

/** A JSON round trip: graphql results have null prototypes, which uvu's deep equal rejects. */
export const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
