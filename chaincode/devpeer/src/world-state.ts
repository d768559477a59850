/** A committed key's version: the block and the transaction in it that last wrote the key (Fabric's height). */
export interface Version {
  blockNum: number;
  txNum: number;
}

export interface StateEntry {
  value: Uint8Array;
  version: Version;
}

export function sameVersion(a: Version | undefined, b: Version | undefined): boolean {
  if (!a || !b) return a === b;
  return a.blockNum === b.blockNum && a.txNum === b.txNum;
}

/**
 * Orders keys by Unicode code point, which is the byte order of their UTF-8 encoding — the order
 * LevelDB gives Fabric's range queries. Plain `<` on JS strings compares UTF-16 units and would put
 * U+E000…U+FFFF after astral characters such as U+10FFFF, the end of a partial composite key range.
 */
export function compareKeys(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x - y;
  }
  return a.length - b.length;
}

/** One write of a transaction's write set: a value, or null for a delete. */
export interface KeyWrite {
  key: string;
  value: Uint8Array | null;
}

/**
 * The committed world state of one chaincode namespace, kept in memory: a map for point reads and a
 * sorted key array for range scans (binary search).
 *
 * New keys are not spliced into the sorted array one by one at commit: each splice moves the array's
 * tail, so a block of new keys cost O(keys × state size) and grew with the ledger. They wait in an
 * unsorted list instead, and the next range scan (chaincode or MVCC phantom check) sorts that list and
 * merges it in once — at most one merge per committed block, whatever the block holds.
 */
export class WorldState {
  readonly #entries = new Map<string, StateEntry>();
  /** Every key of `#entries` not in `#added`, in key order. */
  #sorted: string[] = [];
  /** Keys created since the last merge, in no particular order. */
  #added: string[] = [];

  get size(): number {
    return this.#entries.size;
  }

  get(key: string): StateEntry | undefined {
    return this.#entries.get(key);
  }

  /** Index of the first key ≥ `key` in the sorted array, searching from `from`. */
  #lowerBound(key: string, from = 0): number {
    let lo = from;
    let hi = this.#sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareKeys(this.#sorted[mid] as string, key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Sorts the keys created since the last merge into the sorted array (one pass over it). */
  #merge(): void {
    if (this.#added.length === 0) return;
    const added = this.#added.sort(compareKeys);
    const sorted = this.#sorted;
    const merged: string[] = new Array(sorted.length + added.length);
    let out = 0;
    let from = 0;
    for (const key of added) {
      // Binary search for where the key goes, then copy the run of older keys before it unchanged.
      const at = this.#lowerBound(key, from);
      for (let i = from; i < at; i++) merged[out++] = sorted[i] as string;
      merged[out++] = key;
      from = at;
    }
    for (let i = from; i < sorted.length; i++) merged[out++] = sorted[i] as string;
    this.#sorted = merged;
    this.#added = [];
  }

  /**
   * Keys in [startKey, endKey) in key order; an empty `endKey` means no upper bound.
   * The generator reads live state: consume it before the next commit.
   */
  *range(startKey: string, endKey: string): Generator<[string, StateEntry]> {
    this.#merge();
    // A merge builds a new array, so a scan keeps walking the one it started on.
    const sorted = this.#sorted;
    for (let i = this.#lowerBound(startKey); i < sorted.length; i++) {
      const key = sorted[i] as string;
      if (endKey !== "" && compareKeys(key, endKey) >= 0) return;
      const entry = this.#entries.get(key);
      if (entry) yield [key, entry];
    }
  }

  /** Applies one valid transaction's writes at `version`. */
  apply(writes: Iterable<KeyWrite>, version: Version): void {
    for (const { key, value } of writes) {
      const existed = this.#entries.has(key);
      if (value === null) {
        if (!existed) continue;
        this.#entries.delete(key);
        // Deletes are rare: merge first, so the key is in the sorted array exactly once to remove.
        this.#merge();
        const at = this.#lowerBound(key);
        if (this.#sorted[at] === key) this.#sorted.splice(at, 1);
        continue;
      }
      this.#entries.set(key, { value, version });
      if (!existed) this.#added.push(key);
    }
  }
}
