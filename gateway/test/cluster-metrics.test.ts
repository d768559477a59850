import cluster, { type Worker } from "node:cluster";
import { fileURLToPath } from "node:url";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { serveClusterMetrics } from "../src/cluster-metrics.js";

function nextMessage<T>(worker: Worker, type: string): Promise<T> {
  return new Promise((resolve) => {
    const listener = (message: { type?: string }) => {
      if (message?.type !== type) return;
      worker.off("message", listener);
      resolve(message as T);
    };
    worker.on("message", listener);
  });
}

test("/metrics in a worker adds up every worker's figures", async () => {
  serveClusterMetrics();
  cluster.setupPrimary({ exec: fileURLToPath(new URL("fixtures/metrics-worker.ts", import.meta.url)) });
  const workers = [cluster.fork(), cluster.fork()];
  try {
    await Promise.all(workers.map((w) => nextMessage(w, "ready")));
    const [first] = workers as [Worker, Worker];
    const answer = nextMessage<{ text?: string; error?: string }>(first, "scraped");
    first.send({ type: "scrape" });
    const { text, error } = await answer;
    assert.is(error, undefined);
    assert.match(text ?? "", /^fixture_requests_total 2$/m);
  } finally {
    for (const worker of workers) {
      if (worker.isDead()) continue;
      const exited = new Promise((resolve) => worker.once("exit", resolve));
      worker.kill();
      await exited;
    }
  }
});

test.run();
