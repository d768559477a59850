import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import WebSocket, { WebSocketServer } from "ws";
import { forEachInTurns } from "../src/realtime/in-turns.js";
import { nextBody, nextPrefix, writeNextFrame } from "../src/realtime/next-frame.js";

const test = suite("realtime: pre-built next frames");

/** A WebSocket server that hands each accepted connection's raw socket to the test. */
async function listen(): Promise<{ server: Server; url: string; accepted: Promise<Duplex> }> {
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  const server = createServer();
  const accepted = new Promise<Duplex>((resolve) => {
    server.on("upgrade", (request, socket, head) => wss.handleUpgrade(request, socket, head, () => resolve(socket)));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `ws://127.0.0.1:${port}`, accepted };
}

// Frame lengths on both sides of the 7-bit, 16-bit and 64-bit length forms, and of the copy limit.
for (const size of [10, 125, 200, 65_535, 20_000, 70_000]) {
  test(`a client reads prefix + shared body as one next message (${size} bytes of payload)`, async () => {
    const { server, url, accepted } = await listen();
    const client = new WebSocket(url);
    try {
      const message = new Promise<string>((resolve) => client.once("message", (data) => resolve(String(data))));
      const socket = await accepted;
      const payload = { data: { memo: "x".repeat(size) } };
      const body = nextBody(payload);
      writeNextFrame(socket, nextPrefix("a-1"), body);
      writeNextFrame(socket, nextPrefix("b"), body);
      assert.equal(JSON.parse(await message), { id: "a-1", type: "next", payload });
    } finally {
      client.terminate();
      server.close();
    }
  });
}

test("forEachInTurns visits every item once, in order", async () => {
  const seen: number[] = [];
  await forEachInTurns([0, 1, 2, 3, 4, 5, 6], (n) => seen.push(n), 2);
  assert.equal(seen, [0, 1, 2, 3, 4, 5, 6]);
});

test("forEachInTurns lets work queued meanwhile run between chunks", async () => {
  const order: string[] = [];
  setImmediate(() => order.push("other"));
  await forEachInTurns([1, 2, 3, 4], (n) => order.push(`item ${n}`), 2);
  assert.equal(order, ["item 1", "item 2", "other", "item 3", "item 4"]);
});

test.run();
