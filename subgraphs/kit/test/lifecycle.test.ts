import { suite } from "uvu";
import * as assert from "uvu/assert";
import { createLifecycle } from "../src/lifecycle.js";

const Lifecycle = suite("lifecycle");

Lifecycle("closes resources in reverse order, once, even when one fails", async () => {
  const closed: string[] = [];
  const life = createLifecycle();
  life.add({ name: "mysql", dispose: () => void closed.push("mysql") });
  life.add({
    name: "redis",
    dispose: () => {
      closed.push("redis");
      throw new Error("already closed");
    },
  });
  life.add({ name: "http", dispose: async () => void closed.push("http") });
  await Promise.all([life.shutdown(), life.shutdown()]);
  assert.equal(closed, ["http", "redis", "mysql"]);
});

Lifecycle.run();
