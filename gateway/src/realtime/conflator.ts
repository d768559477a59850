import type { Clock } from "@clearbook/kit";

export interface ConflatorDeps<T> {
  /** Runs per key at most this many times per second; 0 = no rate limit. */
  maxPerSecond: number;
  clock: Clock;
  /** Does the work for the latest value of a key. A rejection is passed to `onError`; the key keeps flowing. */
  run: (key: string, value: T) => Promise<void>;
  /** Called when a value replaces a pending one (it will never run). */
  onConflated?: () => void;
  onError: (error: unknown, key: string) => void;
}

export interface Conflator<T> {
  /** Queues the value as the key's latest. */
  offer(key: string, value: T): void;
  /** Keys with pending or running work. */
  readonly size: number;
  dispose(): void;
}

interface KeyState<T> {
  pending: { value: T } | null;
  lastStart: number;
  running: boolean;
  timer: NodeJS.Timeout | null;
}

/**
 * Per-key conflation: the first value runs at once (leading edge); values arriving within the
 * interval replace each other and the last one runs when the interval ends (trailing edge), so
 * the final run always sees the latest value. At most one run per key is in flight, which keeps
 * pushes for an entity in event order even when an execution is slower than the interval.
 */
export function createConflator<T>(deps: ConflatorDeps<T>): Conflator<T> {
  const interval = deps.maxPerSecond > 0 ? 1000 / deps.maxPerSecond : 0;
  const states = new Map<string, KeyState<T>>();
  let disposed = false;

  const wake = (key: string, state: KeyState<T>, wait: number): void => {
    state.timer = setTimeout(() => {
      state.timer = null;
      pump(key, state);
    }, wait);
  };

  const pump = (key: string, state: KeyState<T>): void => {
    if (disposed || state.running || state.timer) return;
    const wait = state.lastStart + interval - deps.clock.now();
    if (!state.pending) {
      // Keep an idle key until its interval ends, so a value just after a run still waits its turn.
      if (wait > 0) wake(key, state, wait);
      else states.delete(key);
      return;
    }
    if (wait > 0) {
      wake(key, state, wait);
      return;
    }
    const { value } = state.pending;
    state.pending = null;
    state.running = true;
    state.lastStart = deps.clock.now();
    deps
      .run(key, value)
      .catch((error: unknown) => deps.onError(error, key))
      .finally(() => {
        state.running = false;
        pump(key, state);
      });
  };

  return {
    offer(key, value) {
      if (disposed) return;
      let state = states.get(key);
      if (!state) {
        state = { pending: null, lastStart: Number.NEGATIVE_INFINITY, running: false, timer: null };
        states.set(key, state);
      }
      if (state.pending) deps.onConflated?.();
      state.pending = { value };
      pump(key, state);
    },
    get size() {
      return states.size;
    },
    dispose() {
      disposed = true;
      for (const state of states.values()) if (state.timer) clearTimeout(state.timer);
      states.clear();
    },
  };
}
