import { randomUUID } from "node:crypto";
import type { Clock } from "@clearbook/kit";
import { ErrorCode } from "@clearbook/kit";
import type { GraphQLFormattedError, GraphQLSchema } from "graphql";
import { validate } from "graphql";
import { createConflator } from "./conflator.js";
import { compareStreamIds, type DomainEvent } from "./domain-event.js";
import { forEachInTurns } from "./in-turns.js";
import { nextBody, nextPrefix } from "./next-frame.js";
import { reshape, stableJson } from "./push-payload.js";
import type { RealtimeLogger } from "./realtime-logger.js";
import type { RealtimeMetrics } from "./realtime-metrics.js";
import { anonymousIdentity, type ExecuteFn, type RealtimeViewer } from "./realtime-types.js";
import type { StreamTailer } from "./stream-tailer.js";
import { ROOT_VARIABLE, type SubscriptionPlan } from "./subscription-plan.js";
import type { SubscriptionRoute } from "./subscription-routes.js";

/** The socket side of one subscription, implemented by the connection. */
export interface SubscriberSink {
  /**
   * Writes one `next` frame, `prefix` + `body` (or closes the socket if its buffer is full).
   * `body` is shared by every subscriber of the group and must not be modified.
   */
  next(prefix: Buffer, body: Buffer): void;
  /** Ends the subscription with an `error` message. */
  end(id: string, errors: readonly GraphQLFormattedError[]): void;
  /** Closes the socket as a slow consumer (frames held during a replay outgrew the buffer limit). */
  overflow(): void;
}

export interface Subscriber {
  readonly id: string;
  readonly sink: SubscriberSink;
  /** `{"id":"<id>","type":"next","payload":` — the only per-subscriber bytes of a frame. */
  readonly prefix: Buffer;
  readonly group: Group;
  /** Live frame bodies held back while missed events are replayed; null once live. */
  held: { eventId: string; body: Buffer }[] | null;
  heldBytes: number;
}

interface Group {
  readonly key: string;
  readonly plan: SubscriptionPlan;
  /** The identity executions run as: anonymous for public routes, else the (shared) user. */
  readonly viewer: RealtimeViewer;
  readonly subscribers: Set<Subscriber>;
}

interface Wakeup {
  route: SubscriptionRoute;
  matchValue: string;
  event: DomainEvent;
}

export interface FanoutHubDeps {
  routes: ReadonlyMap<string, SubscriptionRoute>;
  execute: ExecuteFn;
  tailer: Pick<StreamTailer, "position" | "readRange" | "trimmedThrough">;
  clock: Clock;
  maxPushesPerSecond: number;
  replayLimit: number;
  /** Bound on the live frames held for one subscriber while its replay runs. */
  maxHeldBytes: number;
  metrics: RealtimeMetrics;
  logger: RealtimeLogger;
}

export interface FanoutHub {
  /** Adds a planned, authorized subscription; replays missed events first when the plan asks to resume. */
  add(sink: SubscriberSink, id: string, plan: SubscriptionPlan, viewer: RealtimeViewer): Subscriber;
  remove(subscriber: Subscriber): void;
  /** Matches a batch of stream events to groups and queues their pushes (conflated per entity). */
  onEvents(events: readonly DomainEvent[]): void;
  /** Ends, with an error, every subscription the new API schema can no longer serve. */
  onSchemaChange(schema: GraphQLSchema): void;
  dispose(): void;
}

const REPLAY_SHARE_MS = 2_000;

/**
 * Groups subscribers by (refetch document, variables, authorization scope) and, for each event,
 * runs one execution per group, serializes its payload once and writes it to every socket of the group.
 */
export function createFanoutHub(deps: FanoutHubDeps): FanoutHub {
  const groups = new Map<string, Group>();
  /** field → match value → groups: an event finds its groups in two lookups. */
  const index = new Map<string, Map<string, Set<Group>>>();
  const routesByEvent = new Map<string, SubscriptionRoute[]>();
  for (const route of deps.routes.values()) {
    for (const type of route.events) {
      const key = `${route.domain}\u0000${type}`;
      routesByEvent.set(key, [...(routesByEvent.get(key) ?? []), route]);
    }
  }

  /**
   * Replay reads and renders shared for a moment: after a gateway restart thousands of clients resume
   * from the same last event id into the same groups, and need the same stream range and results.
   */
  const replayShared = new Map<string, Promise<unknown>>();
  const shareReplay = <T>(key: string, make: () => Promise<T>): Promise<T> => {
    const hit = replayShared.get(key);
    if (hit) return hit as Promise<T>;
    const made = make();
    replayShared.set(key, made);
    setTimeout(() => replayShared.delete(key), REPLAY_SHARE_MS).unref();
    return made;
  };

  const conflator = createConflator<Wakeup>({
    maxPerSecond: deps.maxPushesPerSecond,
    clock: deps.clock,
    run: (_key, wakeup) => deliver(wakeup),
    onConflated: () => deps.metrics.conflated.inc(),
    onError: (error, key) => deps.logger.error({ err: error, key }, "realtime: delivery failed"),
  });

  /** One execution for a group and event; the shared body (payload and closing brace) of its `next` frames. */
  async function render(plan: SubscriptionPlan, viewer: RealtimeViewer, event: DomainEvent): Promise<Buffer> {
    const variables: Record<string, unknown> = { ...plan.variables };
    const source = plan.route.refetch.source;
    if ("event" in source) variables[ROOT_VARIABLE] = event.data[source.event];
    let payload: { data: Record<string, unknown> | null; errors?: GraphQLFormattedError[] };
    try {
      const result = await deps.execute({
        document: plan.document,
        variables,
        viewer: { ...viewer, rid: randomUUID() },
      });
      payload = reshape(plan, result.data ?? null, result.errors);
      deps.metrics.executions.inc({ outcome: result.errors?.length ? "errors" : "ok" });
    } catch (error) {
      deps.metrics.executions.inc({ outcome: "failed" });
      deps.logger.error({ err: error, field: plan.route.field }, "realtime: refetch threw");
      payload = {
        data: null,
        errors: [
          { message: "Something went wrong on our side.", extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } },
        ],
      };
    }
    return nextBody({ ...payload, extensions: { eventId: event.id } });
  }

  /** Queues a live body for a subscriber still replaying; closes its socket when the held bytes outgrow the limit. */
  function hold(subscriber: Subscriber, held: { eventId: string; body: Buffer }[], eventId: string, body: Buffer) {
    subscriber.heldBytes += subscriber.prefix.length + body.length;
    if (subscriber.heldBytes > deps.maxHeldBytes) subscriber.sink.overflow();
    else held.push({ eventId, body });
  }

  /**
   * Writes one body to every subscriber of a group, in subscription order, a chunk of sockets per
   * turn of the event loop (10,000 sockets: ~40 turns of a few ms). Other groups' chunks, pongs and
   * reads run in between, so a small group is not queued behind a big one.
   */
  function writeAll(group: Group, eventId: string, body: Buffer): Promise<void> {
    return forEachInTurns([...group.subscribers], (subscriber) => {
      // Skips one that completed or disconnected while an earlier chunk was written.
      if (!group.subscribers.has(subscriber)) return;
      if (subscriber.held) hold(subscriber, subscriber.held, eventId, body);
      else subscriber.sink.next(subscriber.prefix, body);
    });
  }

  async function deliver({ route, matchValue, event }: Wakeup): Promise<void> {
    const targets = index.get(route.field)?.get(matchValue);
    if (!targets) return;
    await Promise.all(
      [...targets].map(async (group) => {
        const body = await render(group.plan, group.viewer, event);
        const count = group.subscribers.size;
        await writeAll(group, event.id, body);
        deps.metrics.pushes.inc(count);
        deps.metrics.eventLag.observe(Math.max(0, deps.clock.now() - event.at) / 1000);
      }),
    );
  }

  /**
   * Pushes what a resuming subscriber missed (the latest event per entity), then releases held live frames.
   * When the stream no longer holds everything after `after` (trimmed, or more than the replay limit),
   * a subscription bound to one entity gets its current state; one over many entities gets a
   * `resumeGap` marker, so the client refetches its list over HTTP.
   */
  async function replay(subscriber: Subscriber, after: string, until: string): Promise<void> {
    const { plan } = subscriber.group;
    const { route } = plan;
    let lastReplayed = after;
    try {
      const [missed, trimmed] = await shareReplay(`read\u0000${route.domain}\u0000${after}\u0000${until}`, () =>
        Promise.all([
          deps.tailer.readRange(route.domain, after, until, deps.replayLimit),
          deps.tailer.trimmedThrough(route.domain),
        ]),
      );
      const gap = compareStreamIds(trimmed, after) > 0 || missed.length >= deps.replayLimit;
      const latest = new Map<string, DomainEvent>();
      for (const event of missed) {
        if (!route.events.some((t) => t === event.type) || event.data[route.eventKey] !== plan.matchValue) continue;
        const entity = event.data[route.entityKey] ?? "";
        latest.delete(entity);
        latest.set(entity, event);
      }
      if (gap && "arg" in route.refetch.source && latest.size === 0) {
        latest.set("", { domain: route.domain, id: until, type: "ResumeGap", data: {}, at: deps.clock.now() });
      }
      for (const event of latest.values()) {
        if (!subscriber.held) return;
        const { group } = subscriber;
        const body = await shareReplay(`render\u0000${group.key}\u0000${event.id}`, () =>
          render(plan, group.viewer, event),
        );
        subscriber.sink.next(subscriber.prefix, body);
        lastReplayed = event.id;
      }
      if (gap && "event" in route.refetch.source && subscriber.held) {
        // Last, with the newest id examined, so a later resume starts after the gap.
        const marker = nextBody({ data: null, extensions: { eventId: until, resumeGap: true } });
        subscriber.sink.next(subscriber.prefix, marker);
        lastReplayed = until;
      }
    } catch (error) {
      deps.logger.error({ err: error, field: route.field }, "realtime: replay failed; continuing live");
    }
    const held = subscriber.held ?? [];
    subscriber.held = null;
    for (const { eventId, body } of held) {
      if (compareStreamIds(eventId, lastReplayed) > 0) subscriber.sink.next(subscriber.prefix, body);
    }
  }

  function removeFromGroup(subscriber: Subscriber): boolean {
    const group = subscriber.group;
    if (!group.subscribers.delete(subscriber)) return false;
    deps.metrics.subscriptions.dec();
    if (group.subscribers.size === 0) {
      groups.delete(group.key);
      const byValue = index.get(group.plan.route.field);
      const set = byValue?.get(group.plan.matchValue);
      set?.delete(group);
      if (set?.size === 0) byValue?.delete(group.plan.matchValue);
      deps.metrics.groups.dec();
    }
    return true;
  }

  return {
    add(sink, id, plan, viewer) {
      const scopeViewer = plan.route.access === "public" ? anonymousIdentity : viewer;
      const scope =
        plan.route.access === "public"
          ? "public"
          : stableJson([
              viewer.sub,
              [...viewer.roles].sort(),
              viewer.partner?.id ?? null,
              viewer.partner?.scopes ?? [],
            ]);
      const key = stableJson([plan.documentText, plan.variables, scope, plan.responseKey]);
      let group = groups.get(key);
      if (!group) {
        group = { key, plan, viewer: scopeViewer, subscribers: new Set() };
        groups.set(key, group);
        const byValue = index.get(plan.route.field) ?? new Map<string, Set<Group>>();
        index.set(plan.route.field, byValue);
        const set = byValue.get(plan.matchValue) ?? new Set<Group>();
        byValue.set(plan.matchValue, set);
        set.add(group);
        deps.metrics.groups.inc();
      }
      const subscriber: Subscriber = {
        id,
        sink,
        prefix: nextPrefix(id),
        group,
        held: plan.lastEventId ? [] : null,
        heldBytes: 0,
      };
      group.subscribers.add(subscriber);
      deps.metrics.subscriptions.inc();
      if (plan.lastEventId) void replay(subscriber, plan.lastEventId, deps.tailer.position(plan.route.domain));
      return subscriber;
    },
    remove(subscriber) {
      removeFromGroup(subscriber);
    },
    onEvents(events) {
      const now = deps.clock.now();
      for (const event of events) {
        deps.metrics.eventsRead.inc({ domain: event.domain });
        for (const route of routesByEvent.get(`${event.domain}\u0000${event.type}`) ?? []) {
          const matchValue = event.data[route.eventKey];
          if (matchValue === undefined || !index.get(route.field)?.has(matchValue)) continue;
          const entity = event.data[route.entityKey] ?? "";
          conflator.offer(`${route.field}\u0000${matchValue}\u0000${entity}`, { route, matchValue, event });
        }
      }
      if (events.length > 0) deps.logger.debug({ count: events.length, lagMs: now - (events[0]?.at ?? now) }, "events");
    },
    onSchemaChange(schema) {
      for (const group of [...groups.values()]) {
        const { plan } = group;
        const stillServed =
          schema.getSubscriptionType()?.getFields()[plan.route.field] !== undefined &&
          validate(schema, plan.document).length === 0;
        if (stillServed) continue;
        const error: GraphQLFormattedError = {
          message: `The subscription field "${plan.route.field}" is no longer served after a schema update; subscribe again.`,
          extensions: { code: "GRAPHQL_VALIDATION_FAILED" },
        };
        for (const subscriber of [...group.subscribers]) {
          removeFromGroup(subscriber);
          subscriber.sink.end(subscriber.id, [error]);
        }
      }
    },
    dispose() {
      conflator.dispose();
      replayShared.clear();
    },
  };
}
