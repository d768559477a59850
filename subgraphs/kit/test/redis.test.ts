import { suite } from "uvu";
import * as assert from "uvu/assert";
import { createRedis, RedisUnavailableError } from "../src/redis.js";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const Redis = suite("redis");

Redis("connects, answers and disposes", async () => {
  const redis = await createRedis(REDIS_URL, "kit-test");
  assert.is(await redis.client.set("test:kit:redis:ping", "1", "EX", 5), "OK");
  await redis.client.del("test:kit:redis:ping");
  await redis.dispose();
  assert.is(redis.client.status, "end");
});

Redis("fails fast with a clear error when Redis is down", async () => {
  const started = Date.now();
  try {
    await createRedis("redis://:hunter2@127.0.0.1:15001", "kit-test");
    assert.unreachable("should not connect");
  } catch (error) {
    assert.instance(error, RedisUnavailableError);
    const message = (error as Error).message;
    assert.match(message, /127\.0\.0\.1:15001/);
    assert.match(message, /ECONNREFUSED/);
    assert.not.match(message, /hunter2/);
  }
  assert.ok(Date.now() - started < 2000, "gave up quickly");
});

Redis.run();
