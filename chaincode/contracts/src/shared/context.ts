import { Context } from "fabric-contract-api";
import type { EventName, EventPayloads } from "../api/events.js";
import { IdentityAttribute, IdentityRole, MSP_ID } from "../api/protocol.js";
import { fail } from "./errors.js";
import { toBytes } from "./json.js";
import type { KeyType } from "./keys.js";
import { isId } from "./parse.js";
import { parseState, type StateDocuments } from "./state.js";

export interface Caller {
  userId: string;
  role: IdentityRole;
}

export interface StateEntry<T> {
  /** The composite key's attributes after the object type. */
  attributes: string[];
  value: T;
}

const ROLES = new Set<string>(Object.values(IdentityRole));

/**
 * The transaction context every Clearbook contract receives: who calls (from the X.509
 * attributes), the transaction time (the only clock), JSON state under composite keys, and the
 * one event a transaction may emit.
 */
export class ClearbookContext extends Context {
  private emitted: EventName | null = null;

  /** The authenticated caller. Throws UNAUTHENTICATED for a foreign MSP or a certificate without a user id. */
  caller(): Caller {
    const mspId = this.clientIdentity.getMSPID();
    if (mspId !== MSP_ID) throw fail.unauthenticated(`identities of MSP ${mspId} are not accepted`);
    const userId = this.clientIdentity.getAttributeValue(IdentityAttribute.USER_ID);
    if (!userId) throw fail.unauthenticated(`the certificate carries no ${IdentityAttribute.USER_ID} attribute`);
    // User ids become composite key attributes, so they follow the id rules too.
    if (!isId(userId)) throw fail.unauthenticated(`malformed ${IdentityAttribute.USER_ID} attribute`);
    const role = this.clientIdentity.getAttributeValue(IdentityAttribute.ROLE) ?? IdentityRole.USER;
    if (!ROLES.has(role)) throw fail.unauthenticated(`unknown ${IdentityAttribute.ROLE} ${role}`);
    return { userId, role: role as IdentityRole };
  }

  /**
   * The transaction timestamp as ISO-8601: identical on every endorser, chosen by whoever builds
   * the proposal (the platform's signer; see decision 0022).
   */
  now(): string {
    return new Date(this.nowMs()).toISOString();
  }

  nowMs(): number {
    const ts = this.stub.getTxTimestamp();
    return Number(ts.seconds.toString()) * 1000 + Math.floor(ts.nanos / 1_000_000);
  }

  txId(): string {
    return this.stub.getTxID();
  }

  key(type: KeyType, ...attributes: string[]): string {
    return this.stub.createCompositeKey(type, attributes);
  }

  /** The document under a key, or null when there is none. */
  async read<K extends KeyType>(type: K, ...attributes: string[]): Promise<StateDocuments[K] | null> {
    const key = this.key(type, ...attributes);
    const bytes = await this.stub.getState(key);
    if (!bytes || bytes.length === 0) return null;
    return parseState(type, key, bytes);
  }

  async exists(type: KeyType, ...attributes: string[]): Promise<boolean> {
    const bytes = await this.stub.getState(this.key(type, ...attributes));
    return !!bytes && bytes.length > 0;
  }

  async write<K extends KeyType>(type: K, attributes: string[], doc: StateDocuments[K]): Promise<void> {
    await this.stub.putState(this.key(type, ...attributes), toBytes(doc));
  }

  async remove(type: KeyType, ...attributes: string[]): Promise<void> {
    await this.stub.deleteState(this.key(type, ...attributes));
  }

  /** Every document whose key starts with (type, ...prefix), in key order (one range read). */
  async list<K extends KeyType>(type: K, ...prefix: string[]): Promise<Array<StateEntry<StateDocuments[K]>>> {
    const entries: Array<StateEntry<StateDocuments[K]>> = [];
    const iterator = await this.stub.getStateByPartialCompositeKey(type, prefix);
    try {
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
        const { attributes } = this.stub.splitCompositeKey(next.value.key);
        entries.push({ attributes, value: parseState(type, next.value.key, next.value.value) });
      }
    } finally {
      await iterator.close();
    }
    return entries;
  }

  /** Emits the transaction's event. Fabric keeps one event per transaction, so a second is a bug. */
  emit<N extends EventName>(name: N, payload: EventPayloads[N]): void {
    if (this.emitted) throw new Error(`event ${name} after ${this.emitted}: one event per transaction`);
    this.emitted = name;
    this.stub.setEvent(name, toBytes(payload));
  }
}
