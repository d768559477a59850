/**
 * Committed world state with Fabric's versioning and validation rules: each key has a version
 * (block, tx); a transaction's read set records the versions it saw, its range reads the keys
 * they returned; at commit every read must still hold (MVCC_READ_CONFLICT) and every range must
 * return the same keys (PHANTOM_READ_CONFLICT), counting earlier valid transactions of the block.
 */

export interface Versioned {
  value: Buffer;
  version: string;
}

export interface RangeRead {
  startKey: string;
  endKey: string;
  /** key → version of each result, in order. */
  results: Array<[string, string]>;
}

export interface ReadWriteSet {
  /** key → version seen (null: the key did not exist). */
  reads: Map<string, string | null>;
  ranges: RangeRead[];
  /** key → new value (null: delete). */
  writes: Map<string, Buffer | null>;
}

export const ValidationCode = {
  VALID: "VALID",
  MVCC_READ_CONFLICT: "MVCC_READ_CONFLICT",
  PHANTOM_READ_CONFLICT: "PHANTOM_READ_CONFLICT",
} as const;
export type ValidationCode = (typeof ValidationCode)[keyof typeof ValidationCode];

/** Keys order as LevelDB orders them: by UTF-8 bytes. */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

export class WorldState {
  private readonly data = new Map<string, Versioned>();
  private block = 0;
  /** Keys in byte order, rebuilt lazily after a commit changes the key set. */
  private sorted: string[] | null = null;

  get(key: string): Versioned | undefined {
    return this.data.get(key);
  }

  /** Keys in [startKey, endKey) in byte order; an empty endKey means unbounded. */
  range(startKey: string, endKey: string): Array<[string, Versioned]> {
    this.sorted ??= [...this.data.keys()].sort(compareKeys);
    const result: Array<[string, Versioned]> = [];
    for (const key of this.sorted) {
      if (compareKeys(key, startKey) < 0) continue;
      if (endKey !== "" && compareKeys(key, endKey) >= 0) break;
      result.push([key, this.data.get(key)!]);
    }
    return result;
  }

  entries(): Array<[string, Buffer]> {
    return [...this.data.entries()].map(([key, v]) => [key, v.value]);
  }

  /** Validates the transactions of one block in order and applies the valid ones. */
  commitBlock(rwsets: ReadWriteSet[]): ValidationCode[] {
    this.block += 1;
    return rwsets.map((rwset, index) => {
      const code = this.validate(rwset);
      if (code === ValidationCode.VALID) this.apply(rwset, `${this.block}:${index}`);
      return code;
    });
  }

  private validate(rwset: ReadWriteSet): ValidationCode {
    for (const [key, version] of rwset.reads) {
      if ((this.data.get(key)?.version ?? null) !== version) return ValidationCode.MVCC_READ_CONFLICT;
    }
    for (const range of rwset.ranges) {
      const now = this.range(range.startKey, range.endKey).map(([key, v]) => `${key}@${v.version}`);
      const then = range.results.map(([key, version]) => `${key}@${version}`);
      if (now.join("\n") !== then.join("\n")) return ValidationCode.PHANTOM_READ_CONFLICT;
    }
    return ValidationCode.VALID;
  }

  private apply(rwset: ReadWriteSet, version: string): void {
    for (const [key, value] of rwset.writes) {
      if (!this.data.has(key) || value === null) this.sorted = null;
      if (value === null) this.data.delete(key);
      else this.data.set(key, { value, version });
    }
  }
}
