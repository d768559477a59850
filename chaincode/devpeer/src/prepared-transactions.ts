import { sha256 } from "./crypto.js";
import type { EndorserTransaction } from "./validator.js";

/**
 * The transactions this peer assembled at Endorse and has not seen at Submit yet, by payload. A
 * client signs the payload it was given and submits it unchanged, so Submit finds the transaction
 * here and commit need not parse the envelope again, layer by layer, into what the endorser had in
 * hand: the bytes are compared in full, and the same bytes would parse to the same values. The
 * oldest entry goes first when `maxEntries` are held (endorsed transactions that are never
 * submitted); a payload not found is parsed and checked in full, as from any other client.
 */
export class PreparedTransactions {
  readonly #byDigest = new Map<string, EndorserTransaction>();
  readonly #maxEntries: number;

  constructor(maxEntries = 10_000) {
    this.#maxEntries = maxEntries;
  }

  get size(): number {
    return this.#byDigest.size;
  }

  /** Remembers a transaction as prepared at Endorse (its `signature` is empty until Submit). */
  remember(transaction: EndorserTransaction): void {
    if (this.#byDigest.size >= this.#maxEntries) {
      const oldest = this.#byDigest.keys().next().value;
      if (oldest !== undefined) this.#byDigest.delete(oldest);
    }
    this.#byDigest.set(sha256(transaction.payloadBytes).toString("base64"), transaction);
  }

  /**
   * Removes and returns the transaction whose payload is exactly `payload`.
   * @returns undefined when this peer did not prepare it (or no longer remembers it).
   */
  take(payload: Uint8Array): EndorserTransaction | undefined {
    const digest = sha256(payload).toString("base64");
    const transaction = this.#byDigest.get(digest);
    if (!transaction || Buffer.compare(transaction.payloadBytes, payload) !== 0) return undefined;
    this.#byDigest.delete(digest);
    return transaction;
  }
}
