import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { GatewayDeps } from "../src/gateway.js";
import { realtimeAttacher, realtimeEnvSchema, realtimeOptionsFromEnv } from "../src/realtime/index.js";

const test = suite("realtime: wiring into the gateway");

test("fits createGateway's attachRealtime hook", () => {
  // A type-level check as much as a run-time one: this line stops compiling if the two sides drift.
  const hook: NonNullable<GatewayDeps["attachRealtime"]> = realtimeAttacher({ options: { maxPushesPerSecond: 2 } });
  assert.type(hook, "function");
});

test("reads its environment variables with defaults", () => {
  const options = realtimeOptionsFromEnv(realtimeEnvSchema.parse({ REALTIME_MAX_PUSHES_PER_SECOND: "10" }));
  assert.equal(options, {
    maxPushesPerSecond: 10,
    maxBufferedBytes: 1024 * 1024,
    keepAliveMs: 15_000,
    replayLimit: 1_000,
    maxSubscriptionsPerConnection: 100,
    maxConnectionsPerIp: 50,
    maxSubscribesPerSecond: 20,
    streamPrefix: "",
  });
});

test("refuses a negative rate", () => {
  assert.is(realtimeEnvSchema.safeParse({ REALTIME_MAX_PUSHES_PER_SECOND: "-1" }).success, false);
});

test.run();
