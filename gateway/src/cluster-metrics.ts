import cluster from "node:cluster";
import { AggregatorRegistry, type Registry } from "prom-client";

// With one worker per core, whichever worker accepts a scrape of /metrics answers it with the sum
// over every worker: it asks the primary, which collects each worker's registry (prom-client's
// AggregatorRegistry) and sends the text back. Counters and histograms add up; so do the realtime
// gauges (connections, subscriptions, groups), each worker holding its own share.

const SCRAPE = "clearbook:metrics:scrape";
const ANSWER = "clearbook:metrics:answer";

interface ScrapeMessage {
  type: typeof SCRAPE;
  id: number;
}

interface AnswerMessage {
  type: typeof ANSWER;
  id: number;
  text?: string;
  error?: string;
}

/** In the primary: answers workers' scrape requests with the metrics of all workers. */
export function serveClusterMetrics(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on("message", (worker, message: Partial<ScrapeMessage>) => {
    if (message?.type !== SCRAPE || typeof message.id !== "number") return;
    const id = message.id;
    aggregator.clusterMetrics().then(
      (text) => worker.send({ type: ANSWER, id, text } satisfies AnswerMessage),
      (error: unknown) => worker.send({ type: ANSWER, id, error: String(error) } satisfies AnswerMessage),
    );
  });
}

/**
 * In a worker: offers `registry` to the primary's aggregation and returns the scrape function for
 * /metrics, which resolves with every worker's metrics (rejects after `timeoutMs` without an answer).
 */
export function clusterScrape(registry: Registry, timeoutMs = 5000): () => Promise<string> {
  AggregatorRegistry.setRegistries(registry);
  new AggregatorRegistry(); // listens for the primary's requests for this worker's registry
  const pending = new Map<number, { resolve(text: string): void; reject(error: Error): void }>();
  let next = 0;
  process.on("message", (message: Partial<AnswerMessage>) => {
    if (message?.type !== ANSWER || typeof message.id !== "number") return;
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    if (message.error !== undefined) waiter.reject(new Error(`cluster metrics: ${message.error}`));
    else waiter.resolve(message.text ?? "");
  });
  return () =>
    new Promise<string>((resolve, reject) => {
      const id = next++;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`cluster metrics: no answer from the primary in ${timeoutMs} ms`));
      }, timeoutMs);
      pending.set(id, {
        resolve: (text) => {
          clearTimeout(timer);
          resolve(text);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      process.send?.({ type: SCRAPE, id } satisfies ScrapeMessage);
    });
}
