// The receive window the chain client grants a peer (decision 0208), seen from the peer's side of a
// real HTTP/2 connection.
import http2 from "node:http2";
import type { AddressInfo } from "node:net";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createEndpointPool, FLOW_CONTROL_WINDOW_BYTES, parseConnectionProfile } from "../src/index.js";

test("the client grants a peer an 8 MiB window for the connection and each stream, not HTTP/2's 64 KiB", async () => {
  const server = http2.createServer();
  const sessions: http2.ServerHttp2Session[] = [];
  server.on("session", (session) => sessions.push(session));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const pool = createEndpointPool(
    parseConnectionProfile({ endpoint: `127.0.0.1:${port}`, channel: "c", chaincode: "cc", mspId: "Org1MSP" }),
  );
  try {
    const { client } = pool.current();
    await new Promise<void>((resolve, reject) =>
      client.waitForReady(Date.now() + 5_000, (error) => (error ? reject(error) : resolve())),
    );
    const deadline = Date.now() + 5_000;
    const granted = () => sessions[0]?.state.remoteWindowSize ?? 0;
    while (granted() < FLOW_CONTROL_WINDOW_BYTES && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.is(FLOW_CONTROL_WINDOW_BYTES, 8 * 1024 * 1024);
    assert.ok(granted() >= FLOW_CONTROL_WINDOW_BYTES, `connection window ${granted()}`);
    assert.is(sessions[0]?.remoteSettings.initialWindowSize, FLOW_CONTROL_WINDOW_BYTES);
  } finally {
    pool.dispose();
    for (const session of sessions) session.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

test.run();
