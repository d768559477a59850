import { Redis } from "ioredis";
import type { RealtimeOptions } from "../../src/realtime/index.js";
import { compose, type FixtureGateway, startFixtureGateway } from "./fixture-gateway.js";
import { emptyStore, type FixtureStore, startFixtureSubgraphs } from "./fixture-subgraphs.js";
import { connect, deleteStreams, type TestClient, uniquePrefix } from "./helpers.js";

/** Fixture subgraphs, Redis with a private stream prefix, and any number of gateways over them. */
export interface World {
  store: FixtureStore;
  redis: Redis;
  prefix: string;
  gateways: FixtureGateway[];
  startGateway(options?: Partial<RealtimeOptions>): Promise<FixtureGateway>;
  /** A connected graphql-ws client, disposed with the world. */
  open(gateway: FixtureGateway, options?: Parameters<typeof connect>[1]): Promise<TestClient>;
  dispose(): Promise<void>;
}

export async function createWorld(): Promise<World> {
  const store = emptyStore();
  const subgraphs = await startFixtureSubgraphs(store);
  const supergraphSdl = compose(subgraphs.subgraphs);
  const redis = new Redis({ host: "127.0.0.1", port: 6379 });
  const prefix = uniquePrefix();
  const gateways: FixtureGateway[] = [];
  const clients: TestClient[] = [];
  return {
    store,
    redis,
    prefix,
    gateways,
    async startGateway(options = {}) {
      const gateway = await startFixtureGateway({
        supergraphSdl,
        options: { streamPrefix: prefix, maxPushesPerSecond: 0, keepAliveMs: 0, tailBlockMs: 200, ...options },
      });
      gateways.push(gateway);
      return gateway;
    },
    async open(gateway, options = {}) {
      const client = connect(gateway.url, options);
      clients.push(client);
      await client.connected();
      return client;
    },
    async dispose() {
      for (const { client } of clients) await client.dispose();
      for (const gateway of gateways) await gateway.dispose();
      await subgraphs.stop();
      await deleteStreams(redis, prefix);
      redis.disconnect();
    },
  };
}

/** The value of a counter (summed over labels) in a gateway's registry. */
export async function counter(gateway: FixtureGateway, name: string, labels: Record<string, string> = {}) {
  const metric = await gateway.metrics.getSingleMetric(name)?.get();
  return (metric?.values ?? [])
    .filter((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))
    .reduce((sum, v) => sum + v.value, 0);
}
