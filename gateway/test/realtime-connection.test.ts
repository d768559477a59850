import { suite } from "uvu";
import * as assert from "uvu/assert";
import WebSocket from "ws";
import { sleep } from "./realtime/helpers.js";
import { counter, createWorld, type World } from "./realtime/world.js";

const test = suite<{ world: World }>("realtime: connection lifecycle");

test.before.each(async (ctx) => {
  ctx.world = await createWorld();
});
test.after.each(async (ctx) => {
  await ctx.world.dispose();
});

/** A raw graphql-transport-ws socket; resolves with its close code and reason. */
function rawSocket(url: string, options: WebSocket.ClientOptions = {}) {
  const ws = new WebSocket(url, "graphql-transport-ws", options);
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once("close", (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  const opened = new Promise((resolve) => ws.once("open", resolve));
  return { ws, closed, opened };
}
const within = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([promise, sleep(ms).then(() => Promise.reject(new Error(`no answer in ${ms} ms`)))]);

test("terminates a peer that stops answering pings, and keeps one that answers", async ({ world }) => {
  const gateway = await world.startGateway({ keepAliveMs: 100 });
  const silent = rawSocket(gateway.url, { autoPong: false });
  const healthy = rawSocket(gateway.url);
  await Promise.all([silent.opened, healthy.opened]);
  for (const { ws } of [silent, healthy]) ws.send(JSON.stringify({ type: "connection_init" }));
  const close = await within(silent.closed, 3_000);
  assert.is(close.code, 1006); // terminated, not closed: the peer is presumed gone
  assert.is(healthy.ws.readyState, WebSocket.OPEN);
  assert.is(await counter(gateway, "clearbook_realtime_closes_total", { reason: "keepalive_timeout" }), 1);
  healthy.ws.close();
});

test("refuses a client address's sockets beyond the per-IP limit with 429, and admits it again once one closes", async ({
  world,
}) => {
  const gateway = await world.startGateway({ maxConnectionsPerIp: 2 });
  const first = rawSocket(gateway.url);
  const second = rawSocket(gateway.url);
  await Promise.all([first.opened, second.opened]);
  const third = new WebSocket(gateway.url, "graphql-transport-ws");
  const status = await within(
    new Promise<number>((resolve, reject) => {
      third.once("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
      third.once("open", () => reject(new Error("a third socket was admitted")));
      third.once("error", () => {});
    }),
    3_000,
  );
  assert.is(status, 429);
  first.ws.close();
  await first.closed;
  const deadline = Date.now() + 3_000;
  let admitted = false;
  while (!admitted && Date.now() < deadline) {
    const again = rawSocket(gateway.url);
    admitted = await Promise.race([again.opened.then(() => true), again.closed.then(() => false)]);
    again.ws.close();
  }
  assert.ok(admitted, "a new socket is admitted once one closed");
  second.ws.close();
});

test("answers subscribes beyond the per-socket rate with RATE_LIMITED", async ({ world }) => {
  const gateway = await world.startGateway({ maxSubscribesPerSecond: 3 });
  const socket = rawSocket(gateway.url);
  await socket.opened;
  const messages: { id?: string; type: string; payload?: { extensions?: { code?: string } }[] }[] = [];
  socket.ws.on("message", (data) => messages.push(JSON.parse(data.toString())));
  socket.ws.send(JSON.stringify({ type: "connection_init" }));
  const acked = Date.now() + 3_000;
  while (!messages.some((m) => m.type === "connection_ack") && Date.now() < acked) await sleep(10);
  for (let i = 0; i < 6; i++) {
    socket.ws.send(
      JSON.stringify({
        id: `s${i}`,
        type: "subscribe",
        payload: { query: `subscription { voteTallyChanged(ballotId: "b${i}") { approve } }` },
      }),
    );
  }
  const deadline = Date.now() + 3_000;
  const limited = () =>
    messages.filter((m) => m.type === "error" && m.payload?.[0]?.extensions?.code === "RATE_LIMITED");
  while (limited().length < 3 && Date.now() < deadline) await sleep(10);
  assert.equal(
    limited()
      .map((m) => m.id)
      .sort(),
    ["s3", "s4", "s5"],
  );
  socket.ws.close();
});

test("closes with 4440 when the token in connection_init has already expired", async ({ world }) => {
  const gateway = await world.startGateway();
  const socket = rawSocket(gateway.url);
  await socket.opened;
  socket.ws.send(
    JSON.stringify({ type: "connection_init", payload: { authorization: `Bearer user:alice:${Date.now() - 1}` } }),
  );
  assert.equal(await within(socket.closed, 3_000), { code: 4440, reason: "Access token expired" });
});

test("closes with 4403 for an invalid token", async ({ world }) => {
  const gateway = await world.startGateway();
  const socket = rawSocket(gateway.url);
  await socket.opened;
  socket.ws.send(JSON.stringify({ type: "connection_init", payload: { authorization: "Bearer forged" } }));
  assert.equal(await within(socket.closed, 3_000), { code: 4403, reason: "Forbidden" });
});

test("closes with 4401 on a subscribe before the acknowledgement", async ({ world }) => {
  const gateway = await world.startGateway();
  const socket = rawSocket(gateway.url);
  await socket.opened;
  socket.ws.send(JSON.stringify({ id: "1", type: "subscribe", payload: { query: "subscription { x }" } }));
  assert.equal(await within(socket.closed, 3_000), { code: 4401, reason: "Unauthorized" });
});

test("counts connections and subscriptions, and forgets them on close", async ({ world }) => {
  const gateway = await world.startGateway();
  const gauge = async (name: string) => counter(gateway, name);
  const { client } = await world.open(gateway);
  client.subscribe(
    { query: `subscription { voteTallyChanged(ballotId: "b1") { approve } }` },
    {
      next: () => {},
      error: () => {},
      complete: () => {},
    },
  );
  await sleep(200);
  assert.is(await gauge("clearbook_realtime_connections"), 1);
  assert.is(await gauge("clearbook_realtime_subscriptions"), 1);
  assert.is(await gauge("clearbook_realtime_groups"), 1);
  await client.dispose();
  await sleep(200);
  assert.is(await gauge("clearbook_realtime_connections"), 0);
  assert.is(await gauge("clearbook_realtime_subscriptions"), 0);
  assert.is(await gauge("clearbook_realtime_groups"), 0);
});

test("closes sockets with 1001 when the gateway shuts down", async ({ world }) => {
  const gateway = await world.startGateway();
  const socket = rawSocket(gateway.url);
  await socket.opened;
  await gateway.dispose();
  world.gateways.splice(world.gateways.indexOf(gateway), 1);
  assert.equal(await within(socket.closed, 3_000), { code: 1001, reason: "Gateway shutting down" });
});

test.run();
