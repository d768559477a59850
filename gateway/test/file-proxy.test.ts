import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type IncomingHttpHeaders, request, type Server } from "node:http";
import { type AddressInfo, connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { type FixtureSubgraphs, startFixtureSubgraphs } from "./fixtures/subgraphs.js";
import { startTestGateway, type TestGateway, testConfig } from "./helpers.js";

interface Ctx {
  subgraphs: FixtureSubgraphs;
  gw: TestGateway;
  dir: string;
  ledger: Server;
  seen: { path: string; headers: IncomingHttpHeaders }[];
}
const test = suite<Ctx>("the ledger's file endpoints and the client address, through the gateway");

/** Stands in front of the fixture ledger: records what reaches it, answers the file routes itself. */
function recordingLedger(ctx: Ctx, graphqlUrl: string): Server {
  return createServer((req, res) => {
    ctx.seen.push({ path: req.url ?? "", headers: req.headers });
    if (req.url?.startsWith("/export/")) {
      res.writeHead(200, { "content-type": "text/csv", "x-internal": "not forwarded" });
      return res.end("event,amount\nBake sale,12500\n");
    }
    if (req.url?.startsWith("/evidence/") && req.method === "PUT") {
      let size = 0;
      req.on("data", (chunk: Buffer) => {
        size += chunk.length;
      });
      req.on("end", () => {
        res.writeHead(201, { "content-type": "application/json" });
        res.end(JSON.stringify({ size, type: req.headers["content-type"] }));
      });
      return;
    }
    const upstream = request(graphqlUrl, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    req.pipe(upstream);
  });
}

test.before(async (ctx) => {
  ctx.seen = [];
  ctx.subgraphs = await startFixtureSubgraphs();
  ctx.dir = await mkdtemp(join(tmpdir(), "clearbook-gateway-files-"));
  const path = join(ctx.dir, "supergraph.graphql");
  await writeFile(path, ctx.subgraphs.supergraph());
  ctx.ledger = recordingLedger(ctx, ctx.subgraphs.urls.ledger);
  await new Promise<void>((resolve) => ctx.ledger.listen(0, "127.0.0.1", resolve));
  const ledgerUrl = `http://127.0.0.1:${(ctx.ledger.address() as AddressInfo).port}/graphql`;
  ctx.gw = await startTestGateway(testConfig({ supergraphPath: path, subgraphUrls: { ledger: ledgerUrl } }), {});
});
test.after(async (ctx) => {
  await ctx.gw.dispose();
  await new Promise((resolve) => ctx.ledger.close(resolve));
  await ctx.subgraphs.dispose();
  await rm(ctx.dir, { recursive: true, force: true });
});

test("streams the CSV export from the ledger, with its content type and nothing internal", async (ctx) => {
  const response = await fetch(`${ctx.gw.url}/export/org-1.csv?year=2026&semester=1`, {
    signal: AbortSignal.timeout(5000),
  });
  assert.is(response.status, 200);
  assert.is(response.headers.get("content-type"), "text/csv");
  assert.is(response.headers.get("x-internal"), null);
  assert.is(await response.text(), "event,amount\nBake sale,12500\n");
  assert.ok(ctx.seen.some((s) => s.path === "/export/org-1.csv?year=2026&semester=1"));
});

test("streams an evidence upload to the ledger with its declared type", async (ctx) => {
  const body = Buffer.alloc(70_000, 7);
  const response = await fetch(`${ctx.gw.url}/evidence/ev-1?exp=1&sig=abc`, {
    method: "PUT",
    headers: { "content-type": "image/png" },
    body,
    signal: AbortSignal.timeout(5000),
  });
  assert.is(response.status, 201);
  assert.equal(await response.json(), { size: 70_000, type: "image/png" });
});

test("refuses paths that try to climb out of the file routes", async (ctx) => {
  const before = ctx.seen.length;
  const response = await fetch(`${ctx.gw.url}/evidence/%2e%2e/secret`, { signal: AbortSignal.timeout(5000) });
  assert.is(response.status, 404);
  assert.is(ctx.seen.length, before, "nothing reached the ledger");
});

/** Sends one raw HTTP/1.1 request line (Node's client never sends absolute-form) and returns the status line. */
function rawRequest(gatewayUrl: string, requestLine: string): Promise<string> {
  const { hostname, port } = new URL(gatewayUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(`${requestLine}\r\nhost: ${hostname}:${port}\r\nconnection: close\r\n\r\n`);
    });
    let answer = "";
    socket.setTimeout(5000, () => socket.destroy(new Error("no answer")));
    socket.on("data", (chunk: Buffer) => {
      answer += chunk.toString("latin1");
    });
    socket.on("end", () => resolve(answer.split("\r\n")[0] ?? ""));
    socket.on("error", reject);
  });
}

test("never lets a request target pick the upstream host (absolute-form or protocol-relative)", async (ctx) => {
  const hits: string[] = [];
  const internal = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    res.end("internal secret");
  });
  await new Promise<void>((resolve) => internal.listen(0, "127.0.0.1", resolve));
  const internalHost = `127.0.0.1:${(internal.address() as AddressInfo).port}`;
  const before = ctx.seen.length;
  try {
    for (const line of [
      `GET http://${internalHost}/evidence/x?sig=1 HTTP/1.1`,
      `POST http://${internalHost}/export/org-1.csv HTTP/1.1`,
      `GET //${internalHost}/evidence/x HTTP/1.1`,
      `GET /\\${internalHost}/evidence/x HTTP/1.1`,
    ]) {
      const status = await rawRequest(ctx.gw.url, line);
      assert.match(status, / 400 /, `${line} → ${status}`);
    }
    assert.equal(hits, [], "nothing reached the internal host");
    assert.is(ctx.seen.length, before, "nothing reached the ledger either");
  } finally {
    await new Promise((resolve) => internal.close(resolve));
  }
});

test("tells subgraphs the address the gateway saw, never one the client claims", async (ctx) => {
  ctx.seen.length = 0;
  const { status } = await ctx.gw.post({ query: '{ ledgerEntry(id: "e1") { id } }' }, { "x-forwarded-for": "6.6.6.6" });
  assert.is(status, 200);
  const graphql = ctx.seen.find((s) => s.path === "/graphql");
  assert.ok(graphql, "the query reached the ledger");
  assert.match(String(graphql.headers["x-forwarded-for"]), /127\.0\.0\.1$/);
});

test.run();
