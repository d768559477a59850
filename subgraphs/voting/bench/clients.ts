import { Agent, request } from "node:http";
import WebSocket from "ws";

/**
 * The bench's clients, kept lean: their CPU is spent on the same two cores as the stack's, so a
 * heavy client makes the stack look slower than it is. `fetch` (undici) and the graphql-ws client
 * cost about twice what `node:http` and a bare protocol loop on `ws` do for the same requests and
 * pushes (profiles of bench:votes, decision 0120).
 */

export interface GraphqlResult {
  data?: Record<string, unknown> | null;
  errors?: { message: string }[];
}

/** POSTs GraphQL requests to `url` over up to `sockets` kept-alive connections. */
export function createGraphqlPoster(url: string, sockets: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: sockets });
  const target = new URL(url);
  return {
    post(query: string, variables: Record<string, unknown>, token?: string): Promise<GraphqlResult> {
      const body = JSON.stringify({ query, variables });
      return new Promise((resolve, reject) => {
        const req = request(
          {
            host: target.hostname,
            port: target.port,
            path: target.pathname,
            method: "POST",
            agent,
            timeout: 30_000,
            headers: {
              "content-type": "application/json",
              "content-length": Buffer.byteLength(body),
              ...(token ? { authorization: `Bearer ${token}` } : {}),
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (chunk: Buffer) => chunks.push(chunk));
            res.on("end", () => {
              try {
                resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")) as GraphqlResult);
              } catch (error) {
                reject(error);
              }
            });
            res.on("error", reject);
          },
        );
        req.on("timeout", () => req.destroy(new Error(`no answer from ${url} within 30s`)));
        req.on("error", reject);
        req.end(body);
      });
    },
    dispose: () => agent.destroy(),
  };
}

/** One subscription over the graphql-transport-ws protocol (the subset a subscriber needs). */
export interface Subscriber {
  dispose(): void;
}

/**
 * Opens a socket to `url`, subscribes to `query` once the server acknowledged the connection, and
 * hands every `next` payload's data to `onData`.
 */
export function subscribe(
  url: string,
  query: string,
  variables: Record<string, unknown>,
  on: { connected(): void; data(data: unknown): void; error(message: string): void },
): Subscriber {
  const socket = new WebSocket(url, "graphql-transport-ws", { perMessageDeflate: false });
  socket.on("open", () => socket.send(JSON.stringify({ type: "connection_init" })));
  socket.on("message", (raw: Buffer) => {
    const message = JSON.parse(raw.toString("utf8")) as { type: string; payload?: { data?: unknown } };
    switch (message.type) {
      case "connection_ack":
        socket.send(JSON.stringify({ id: "1", type: "subscribe", payload: { query, variables } }));
        on.connected();
        break;
      case "next":
        on.data(message.payload?.data);
        break;
      case "ping":
        socket.send(JSON.stringify({ type: "pong" }));
        break;
      case "error":
      case "complete":
        on.error(JSON.stringify(message));
        break;
    }
  });
  socket.on("error", (error) => on.error(String(error)));
  socket.on("close", (code) => {
    if (code !== 1000) on.error(`closed with ${code}`);
  });
  return { dispose: () => socket.close(1000) };
}
