import type { AddressInfo } from "node:net";
import { createMetrics } from "@clearbook/kit";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { loadSignerEnv } from "../src/config.js";
import { serveMetrics } from "../src/index.js";

const test = suite("signer metrics endpoint");

test("listens on loopback unless told otherwise", async () => {
  const server = await serveMetrics(createMetrics("signer-bind-test", { defaultMetrics: false }), 0);
  try {
    assert.is((server.address() as AddressInfo).address, "127.0.0.1");
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
  assert.is(loadSignerEnv({ NODE_ENV: "test" }).SIGNER_METRICS_HOST, "127.0.0.1");
  assert.is(loadSignerEnv({ NODE_ENV: "test", SIGNER_METRICS_HOST: "0.0.0.0" }).SIGNER_METRICS_HOST, "0.0.0.0");
});

test.run();
