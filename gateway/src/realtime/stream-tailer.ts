import type { Redis } from "ioredis";
import { type DomainEvent, type EventDomain, isStreamId, parseStreamEntry, streamKey } from "./domain-event.js";
import type { RealtimeLogger } from "./realtime-logger.js";

type RawEntry = [id: string, fields: string[] | null];

export interface StreamTailerDeps {
  /** A connection used only for XREAD BLOCK (a blocked connection serves nothing else). Owned by the tailer. */
  blocking: Redis;
  /** A connection for replay reads. Owned by the caller. */
  commands: Redis;
  prefix: string;
  domains: readonly EventDomain[];
  blockMs: number;
  batch: number;
  /** Called in stream order with each batch; must not throw (a throw is logged and the batch skipped). */
  onEvents: (events: readonly DomainEvent[]) => void;
  logger: RealtimeLogger;
}

export interface StreamTailer {
  /** Reads each stream's last id, then tails from there in the background. */
  start(): Promise<void>;
  /** The id of the last entry handed to `onEvents` for a domain ("0-0" before any). */
  position(domain: EventDomain): string;
  /** The newest `limit` entries with `after < id ≤ until`, oldest first. */
  readRange(domain: EventDomain, after: string, until: string, limit: number): Promise<DomainEvent[]>;
  /** The newest id trimmed or deleted from a domain's stream ("0-0" if none or no stream). */
  trimmedThrough(domain: EventDomain): Promise<string>;
  dispose(): Promise<void>;
}

/**
 * One tailer per gateway process: a single XREAD BLOCK over every `evt:*` stream, so each replica
 * sees every event (no consumer group: fan-out, not work sharing).
 */
export function createStreamTailer(deps: StreamTailerDeps): StreamTailer {
  const positions = new Map<EventDomain, string>(deps.domains.map((d) => [d, "0-0"]));
  const keys = deps.domains.map((d) => streamKey(deps.prefix, d));
  const domainOfKey = new Map(deps.domains.map((d) => [streamKey(deps.prefix, d), d]));
  let stopped = false;
  let loop: Promise<void> | null = null;

  const parseEntries = (domain: EventDomain, entries: readonly RawEntry[]): DomainEvent[] => {
    const events: DomainEvent[] = [];
    for (const [id, fields] of entries) {
      const event = parseStreamEntry(domain, id, fields);
      if (event) events.push(event);
      else deps.logger.warn({ domain, id }, "realtime: skipped a malformed stream entry");
    }
    return events;
  };

  async function tail(): Promise<void> {
    while (!stopped) {
      let reply: [key: string, entries: RawEntry[]][] | null;
      try {
        const ids = deps.domains.map((d) => positions.get(d) ?? "0-0");
        reply = (await deps.blocking.xread("COUNT", deps.batch, "BLOCK", deps.blockMs, "STREAMS", ...keys, ...ids)) as
          | [string, RawEntry[]][]
          | null;
      } catch (error) {
        if (stopped) return;
        deps.logger.error({ err: error }, "realtime: XREAD failed; retrying");
        await new Promise((resolve) => setTimeout(resolve, 500));
        continue;
      }
      for (const [key, entries] of reply ?? []) {
        const domain = domainOfKey.get(key);
        const last = entries.at(-1);
        if (!domain || !last) continue;
        positions.set(domain, last[0]);
        try {
          deps.onEvents(parseEntries(domain, entries));
        } catch (error) {
          deps.logger.error({ err: error, domain }, "realtime: event handler threw");
        }
      }
    }
  }

  return {
    async start() {
      for (const domain of deps.domains) {
        const last = (await deps.commands.xrevrange(
          streamKey(deps.prefix, domain),
          "+",
          "-",
          "COUNT",
          1,
        )) as RawEntry[];
        positions.set(domain, last[0]?.[0] ?? "0-0");
      }
      loop = tail();
    },
    position: (domain) => positions.get(domain) ?? "0-0",
    async readRange(domain, after, until, limit) {
      // Newest first: when more than `limit` were missed, the recent ones matter (each push is the entity's current state).
      const entries = (await deps.commands.xrevrange(
        streamKey(deps.prefix, domain),
        until,
        `(${after}`,
        "COUNT",
        limit,
      )) as RawEntry[];
      return parseEntries(domain, entries.reverse());
    },
    async trimmedThrough(domain) {
      let info: unknown;
      try {
        info = await deps.commands.call("XINFO", "STREAM", streamKey(deps.prefix, domain));
      } catch {
        return "0-0"; // no such stream yet
      }
      // XINFO STREAM replies a flat [name, value, …] list; `max-deleted-entry-id` exists since Redis 7.0.
      if (!Array.isArray(info)) return "0-0";
      const at = info.indexOf("max-deleted-entry-id");
      const value: unknown = at >= 0 ? info[at + 1] : undefined;
      return isStreamId(value) ? value : "0-0";
    },
    async dispose() {
      stopped = true;
      // Disconnecting aborts the blocked XREAD at once instead of waiting out BLOCK.
      deps.blocking.disconnect();
      await loop;
    },
  };
}
