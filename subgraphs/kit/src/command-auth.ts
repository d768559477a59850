import { createHmac, timingSafeEqual } from "node:crypto";
import { PermanentError } from "./command-entry.js";
import { isDevelopmentMode } from "./config.js";

/**
 * Authenticated command entries (docs/decisions/0360). Each producing service signs every `cmd:*`
 * entry it writes with its own key: HMAC-SHA256 over the entry's canonical content, carried in the
 * entry as `svc` (who signed) and `sig` (base64url). The signer verifies it before anything else,
 * so whoever can write to Redis can no longer make it sign.
 */
export const CommandAuthField = { service: "svc", signature: "sig" } as const;

/** Version tag of the canonical form, so it can change without a stored entry being read the wrong way. */
const CANONICAL_VERSION = "clearbook-cmd-v1";

/**
 * The keys a verifier accepts, by service: one, or several while a service's key is rotated (the new
 * one added, the services restarted with it, then the old one removed).
 */
export type CommandKeys = ReadonlyMap<string, Uint8Array | readonly Uint8Array[]>;

/** A service's signing key for the entries it produces. */
export interface CommandSigningKey {
  service: string;
  key: Uint8Array;
}

/** The fields a command entry carries (the relay writes them; dead letters keep them). */
export interface CommandEntryFields {
  id: string;
  type: string;
  payload: string;
  at: string;
}

/**
 * The bytes the signature covers: the stream's domain (not its test prefix), the producing service and
 * every command field, as a JSON array of strings (unambiguous, no field can bleed into another).
 */
export function canonicalCommand(domain: string, service: string, fields: CommandEntryFields): string {
  return JSON.stringify([CANONICAL_VERSION, domain, service, fields.id, fields.type, fields.at, fields.payload]);
}

function mac(key: Uint8Array, domain: string, service: string, fields: CommandEntryFields): Buffer {
  return createHmac("sha256", key)
    .update(canonicalCommand(domain, service, fields))
    .digest();
}

/** @returns the `svc` and `sig` fields to append to the entry written to `cmd:<domain>`. */
export function signCommandEntry(
  signing: CommandSigningKey,
  domain: string,
  fields: CommandEntryFields,
): [typeof CommandAuthField.service, string, typeof CommandAuthField.signature, string] {
  const sig = mac(signing.key, domain, signing.service, fields).toString("base64url");
  return [CommandAuthField.service, signing.service, CommandAuthField.signature, sig];
}

/**
 * Checks a `cmd:<domain>` entry's signature against the key of the service it names.
 * @returns the producing service.
 * @throws PermanentError (`UNAUTHENTICATED: …`) when the entry is unsigned, names a service without a
 *   key, or its signature does not match (no retry can fix it).
 */
export function verifyCommandEntry(keys: CommandKeys, domain: string, fields: Record<string, string>): string {
  const service = fields[CommandAuthField.service];
  const signature = fields[CommandAuthField.signature];
  if (!service || !signature) throw new PermanentError("UNAUTHENTICATED: the command entry is not signed");
  const known = keys.get(service);
  const candidates = known === undefined ? [] : known instanceof Uint8Array ? [known] : known;
  if (candidates.length === 0) {
    throw new PermanentError(`UNAUTHENTICATED: no command key for service ${JSON.stringify(service)}`);
  }
  const { id = "", type = "", payload = "", at = "" } = fields;
  const given = Buffer.from(signature, "base64url");
  const matches = (key: Uint8Array) => {
    const expected = mac(key, domain, service, { id, type, payload, at });
    return given.length === expected.length && timingSafeEqual(given, expected);
  };
  if (!candidates.some(matches)) {
    throw new PermanentError(`UNAUTHENTICATED: the command entry's signature does not match service ${service}`);
  }
  return service;
}

/**
 * A development key for `service`, derived from the internal secret (so every process of a local stack
 * agrees without configuration). Production configures real keys; see `resolveCommandKey`.
 */
export function deriveDevCommandKey(internalSecret: string, service: string): Uint8Array {
  return createHmac("sha256", internalSecret).update(`clearbook:command-key:${service}`).digest();
}

/** Production is anything that is not explicitly development or test. */
export function isProductionEnv(nodeEnv: string | undefined): boolean {
  return !isDevelopmentMode(nodeEnv);
}

/** The shortest configured command key (characters), as for the internal secret. */
export const MIN_COMMAND_KEY_LENGTH = 32;

/**
 * The key a producing service signs its commands with: the configured one, or in development and tests
 * the one derived from the internal secret.
 * @throws Error in production without a configured key (the env schemas report it first).
 */
export function resolveCommandKey(options: {
  service: string;
  configured: string | undefined;
  nodeEnv: string | undefined;
  internalSecret: string;
}): CommandSigningKey {
  if (options.configured) return { service: options.service, key: Buffer.from(options.configured, "utf8") };
  if (isProductionEnv(options.nodeEnv))
    throw new Error(`a command key for ${options.service} is required in production`);
  return { service: options.service, key: deriveDevCommandKey(options.internalSecret, options.service) };
}

/**
 * Parses `service=key,service=key` (keys of at least 32 characters, no commas). A service listed twice
 * has both keys accepted (a rotation in progress).
 * @throws Error naming the bad item.
 */
export function parseCommandKeys(value: string): Map<string, Uint8Array[]> {
  const keys = new Map<string, Uint8Array[]>();
  for (const item of value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    const eq = item.indexOf("=");
    const service = eq > 0 ? item.slice(0, eq).trim() : "";
    const key = eq > 0 ? item.slice(eq + 1).trim() : "";
    if (!/^[a-z][a-z0-9-]*$/.test(service)) throw new Error("expected service=key items (service in lower case)");
    if (key.length < MIN_COMMAND_KEY_LENGTH) {
      throw new Error(`the key of ${service} must have at least ${MIN_COMMAND_KEY_LENGTH} characters`);
    }
    keys.set(service, [...(keys.get(service) ?? []), Buffer.from(key, "utf8")]);
  }
  return keys;
}
