import { readFile } from "node:fs/promises";
import { dirname, isAbsolute, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";

/** The repository root, from this file's location (never from cwd: services start from anywhere). */
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

/**
 * Where the devpeer writes its connection profile: `<dataDir>/devpeer/connection.json`, with
 * `dataDir` defaulting to `<repo root>/.data` (the convention shared with the devpeer).
 */
export function defaultConnectionProfilePath(dataDir?: string): string {
  return resolve(dataDir ?? resolve(repoRoot, ".data"), "devpeer", "connection.json");
}

const pemFilesSchema = z.object({ certPath: z.string().min(1), keyPath: z.string().min(1) });

const endpointSchema = z.union([
  z.string().min(1),
  z.object({
    address: z.string().min(1),
    /** TLS server name to expect when it differs from the address (e.g. a peer behind a load balancer). */
    tlsHostnameOverride: z.string().min(1).optional(),
  }),
]);

const profileSchema = z
  .object({
    endpoint: endpointSchema.optional(),
    endpoints: z.array(endpointSchema).min(1).optional(),
    tls: z.boolean().default(false),
    tlsRootCertPath: z.string().min(1).nullable().default(null),
    /** Client certificate and key for mutual TLS, when the peers require it. */
    tlsClient: pemFilesSchema.nullable().default(null),
    channel: z.string().min(1),
    chaincode: z.string().min(1),
    mspId: z.string().min(1),
    admin: pemFilesSchema.nullable().default(null),
    ca: pemFilesSchema.nullable().default(null),
  })
  .refine((p) => p.endpoint !== undefined || p.endpoints !== undefined, {
    message: "a connection profile needs `endpoint` or `endpoints`",
  })
  .refine((p) => !p.tls || p.tlsRootCertPath !== null, { message: "`tls: true` needs `tlsRootCertPath`" });

export interface Endpoint {
  address: string;
  tlsHostnameOverride?: string;
}

export interface PemFiles {
  certPath: string;
  keyPath: string;
}

/** A parsed connection profile: where the peers are and what the channel and chaincode are called. */
export interface ConnectionProfile {
  /** Peers to try in order; the next one is used when one is unavailable. */
  endpoints: Endpoint[];
  tls: boolean;
  tlsRootCertPath: string | null;
  tlsClient: PemFiles | null;
  channel: string;
  chaincode: string;
  mspId: string;
  /** The platform admin identity (dev only; real deployments keep it in the signer's vault). */
  admin: PemFiles | null;
  /** The dev CA, so the signer can issue dev identities; absent for a real Fabric CA. */
  ca: PemFiles | null;
}

/**
 * Parses a connection profile object. Relative paths resolve against `baseDir`.
 * @throws Error listing every problem when the object does not fit.
 */
export function parseConnectionProfile(value: unknown, baseDir = process.cwd()): ConnectionProfile {
  const parsed = profileSchema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
    throw new Error(`invalid connection profile: ${problems.join("; ")}`);
  }
  const p = parsed.data;
  const abs = (path: string) => (isAbsolute(path) ? path : resolve(baseDir, path));
  const files = (f: PemFiles | null) => (f ? { certPath: abs(f.certPath), keyPath: abs(f.keyPath) } : null);
  const raw = p.endpoints ?? (p.endpoint ? [p.endpoint] : []);
  return {
    endpoints: raw.map((e) => (typeof e === "string" ? { address: e } : e)),
    tls: p.tls,
    tlsRootCertPath: p.tlsRootCertPath ? abs(p.tlsRootCertPath) : null,
    tlsClient: files(p.tlsClient),
    channel: p.channel,
    chaincode: p.chaincode,
    mspId: p.mspId,
    admin: files(p.admin),
    ca: files(p.ca),
  };
}

/**
 * Reads and parses a connection profile file (the devpeer's `connection.json` or a real network's).
 * @throws Error when the file is missing, not JSON, or has the wrong shape.
 */
export async function loadConnectionProfile(path: string = defaultConnectionProfilePath()): Promise<ConnectionProfile> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new Error(`cannot read connection profile ${path} (is the devpeer running?)`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`connection profile ${path} is not JSON`, { cause: error });
  }
  return parseConnectionProfile(json, dirname(path));
}
