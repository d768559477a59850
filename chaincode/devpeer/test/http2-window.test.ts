// The HTTP/2 connection window the devpeer grants its clients (decision 0208), seen from a client's
// side of a real connection.
import http2 from "node:http2";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { CONNECTION_WINDOW_BYTES } from "../src/http2-window.js";
import { removeDir, startDevpeer } from "./helpers.js";

/** Opens a plain HTTP/2 connection, sends one (unanswerable) call, and reports the window it is granted. */
async function grantedWindow(address: string, waitMs = 5_000): Promise<number> {
  const session = http2.connect(`http://${address}`);
  try {
    const call = session.request({
      ":method": "POST",
      ":path": "/gateway.Gateway/Nothing",
      "content-type": "application/grpc",
    });
    call.on("error", () => {});
    call.resume();
    call.end();
    const deadline = Date.now() + waitMs;
    while ((session.state.remoteWindowSize ?? 0) < CONNECTION_WINDOW_BYTES && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    while ((session.remoteSettings.initialWindowSize ?? 0) < CONNECTION_WINDOW_BYTES && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return Math.min(session.state.remoteWindowSize ?? 0, session.remoteSettings.initialWindowSize ?? 0);
  } finally {
    session.destroy();
  }
}

test("a client connection gets an 8 MiB receive window from the devpeer, not HTTP/2's 64 KiB", async () => {
  const devpeer = await startDevpeer();
  const other = http2.createServer((_req, res) => res.end());
  await new Promise<void>((resolve) => other.listen(0, "127.0.0.1", resolve));
  try {
    assert.is(CONNECTION_WINDOW_BYTES, 8 * 1024 * 1024);
    const granted = await grantedWindow(devpeer.address);
    assert.ok(granted >= CONNECTION_WINDOW_BYTES, `granted ${granted}`);
    // Other HTTP/2 servers in the same process keep their own settings.
    const port = (other.address() as { port: number }).port;
    assert.ok((await grantedWindow(`127.0.0.1:${port}`, 300)) < CONNECTION_WINDOW_BYTES);
  } finally {
    await new Promise<void>((resolve) => other.close(() => resolve()));
    await devpeer.dispose();
    await removeDir(devpeer.dir);
  }
});

test.run();
