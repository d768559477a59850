import type { EndorserTransaction } from "./validator.js";

/**
 * The transactions this peer assembled at Endorse and has not seen at Submit yet, by transaction id. A
 * client signs the payload it was given and submits it unchanged, so Submit finds the transaction
 * here and commit need not parse the envelope again, layer by layer, into what the endorser had in
 * hand: the id only finds the candidate (a SubmitRequest names its transaction id), the payload bytes
 * are compared in full, and the same bytes would parse to the same values. A wrong or missing id, or a
 * second endorsement of the same proposal, only means a miss. The oldest entry goes first when
 * `maxEntries` are held (endorsed transactions that are never submitted); a payload not found is parsed
 * and checked in full, as from any other client.
 */
export class PreparedTransactions {
  readonly #byTxId = new Map<string, EndorserTransaction>();
  readonly #maxEntries: number;

  constructor(maxEntries = 10_000) {
    this.#maxEntries = maxEntries;
  }

  get size(): number {
    return this.#byTxId.size;
  }

  /** Remembers a transaction as prepared at Endorse (its `signature` is empty until Submit). */
  remember(transaction: EndorserTransaction): void {
    // A re-endorsement of the same proposal replaces the earlier one (and becomes the newest entry).
    this.#byTxId.delete(transaction.txId);
    if (this.#byTxId.size >= this.#maxEntries) {
      const oldest = this.#byTxId.keys().next().value;
      if (oldest !== undefined) this.#byTxId.delete(oldest);
    }
    this.#byTxId.set(transaction.txId, transaction);
  }

  /**
   * Removes and returns the transaction `txId` if its payload is exactly `payload`.
   * @returns undefined when this peer did not prepare it (or no longer remembers it), or the payload differs.
   */
  take(txId: string, payload: Uint8Array): EndorserTransaction | undefined {
    const transaction = this.#byTxId.get(txId);
    if (!transaction || Buffer.compare(transaction.payloadBytes, payload) !== 0) return undefined;
    this.#byTxId.delete(txId);
    return transaction;
  }
}
