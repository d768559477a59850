import { createHash, randomBytes, randomUUID } from "node:crypto";
import { createPool, type Pool, type RowDataPacket } from "mysql2/promise";

/** A partner integration as the gateway sees it; the key itself is never stored. */
export interface Partner {
  id: string;
  name: string;
  scopes: string[];
}

export interface PartnerKeyLookup {
  /** @returns the partner owning `apiKey`, or null when the key is unknown or revoked. */
  find(apiKey: string): Promise<Partner | null>;
}

export interface PartnerKeyStore extends PartnerKeyLookup {
  /** Creates the database and table when missing. */
  migrate(): Promise<void>;
  /** @returns the new partner and its key; the key is shown once and only its sha256 is kept. */
  create(name: string, scopes: string[]): Promise<{ partner: Partner; apiKey: string }>;
  revoke(id: string): Promise<boolean>;
  list(): Promise<Partner[]>;
  dispose(): Promise<void>;
}

export interface PartnerKeyStoreOptions {
  /** `mysql://user:pass@host:port` (a database in the URL is ignored; `database` names it). */
  mysqlUrl: string;
  database: string;
  /** How long a looked-up key is remembered; a revocation takes effect within this time. */
  cacheMs?: number;
  now?: () => number;
}

const KEY_PREFIX = "cbk_";

export const hashApiKey = (apiKey: string) => createHash("sha256").update(apiKey).digest("hex");

function serverUrl(mysqlUrl: string): string {
  const url = new URL(mysqlUrl);
  url.pathname = "/";
  return url.toString();
}

function parseScopes(value: unknown): string[] {
  const parsed: unknown = typeof value === "string" ? JSON.parse(value) : value;
  return Array.isArray(parsed) ? parsed.filter((s): s is string => typeof s === "string") : [];
}

/**
 * Partner API keys in the gateway's own MySQL database (`clearbook_gateway`), stored as sha256
 * hashes: a leaked table does not leak working keys, and a 256-bit random key needs no slow hash.
 * Lookups are cached briefly so a partner's traffic does not cost a query per request.
 */
export function createPartnerKeyStore(options: PartnerKeyStoreOptions): PartnerKeyStore {
  const now = options.now ?? Date.now;
  const cacheMs = options.cacheMs ?? 30_000;
  const cache = new Map<string, { partner: Partner | null; until: number }>();
  let pool: Pool | undefined;
  const db = () => {
    pool ??= createPool({ uri: serverUrl(options.mysqlUrl), database: options.database, connectionLimit: 4 });
    return pool;
  };

  return {
    async migrate() {
      const admin = createPool({ uri: serverUrl(options.mysqlUrl), connectionLimit: 1 });
      try {
        await admin.query(`CREATE DATABASE IF NOT EXISTS \`${options.database}\``);
      } finally {
        await admin.end();
      }
      await db().query(
        `CREATE TABLE IF NOT EXISTS partner_key (
          id CHAR(36) NOT NULL PRIMARY KEY,
          name VARCHAR(200) NOT NULL,
          key_hash CHAR(64) NOT NULL UNIQUE,
          scopes JSON NOT NULL,
          created_at BIGINT NOT NULL,
          revoked_at BIGINT NULL
        )`,
      );
    },

    async create(name, scopes) {
      const apiKey = `${KEY_PREFIX}${randomBytes(32).toString("base64url")}`;
      const partner: Partner = { id: randomUUID(), name, scopes };
      await db().execute("INSERT INTO partner_key (id, name, key_hash, scopes, created_at) VALUES (?, ?, ?, ?, ?)", [
        partner.id,
        name,
        hashApiKey(apiKey),
        JSON.stringify(scopes),
        now(),
      ]);
      return { partner, apiKey };
    },

    async find(apiKey) {
      if (!apiKey.startsWith(KEY_PREFIX) || apiKey.length > 200) return null;
      const hash = hashApiKey(apiKey);
      const cached = cache.get(hash);
      if (cached && cached.until > now()) return cached.partner;
      const [rows] = await db().execute<RowDataPacket[]>(
        "SELECT id, name, scopes FROM partner_key WHERE key_hash = ? AND revoked_at IS NULL",
        [hash],
      );
      const row = rows[0];
      const partner = row ? { id: String(row.id), name: String(row.name), scopes: parseScopes(row.scopes) } : null;
      if (cache.size > 10_000) cache.clear();
      cache.set(hash, { partner, until: now() + cacheMs });
      return partner;
    },

    async revoke(id) {
      const [result] = await db().execute("UPDATE partner_key SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", [
        now(),
        id,
      ]);
      cache.clear();
      return "affectedRows" in result && result.affectedRows > 0;
    },

    async list() {
      const [rows] = await db().query<RowDataPacket[]>(
        "SELECT id, name, scopes FROM partner_key WHERE revoked_at IS NULL ORDER BY created_at",
      );
      return rows.map((row) => ({ id: String(row.id), name: String(row.name), scopes: parseScopes(row.scopes) }));
    },

    async dispose() {
      await pool?.end();
      pool = undefined;
    },
  };
}
