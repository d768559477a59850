// Static-data subgraphs for the gateway benchmark, served over plain node:http with graphql-js:
// - the public federation benchmark's accounts/products/inventory/reviews (The Guild's
//   graphql-gateways-benchmark, rewritten in Node with the same data), and
// - a ledger and a voting subgraph that answer the contract's OrganizationLedger operation and a
//   castVote mutation shaped like the contract's.
// Run as a child process: `node --import tsx bench/bench-subgraphs.ts <basePort>`; prints READY.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { buildSubgraphSchema } from "@apollo/subgraph";
import { type DocumentNode, execute, type GraphQLSchema, parse } from "graphql";

const link =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires", "@provides", "@shareable"])';

const users = [
  ["1", "Uri Goldshtein", "urigo"],
  ["2", "Dotan Simha", "dotansimha"],
  ["3", "Kamil Kisiela", "kamilkisiela"],
  ["4", "Arda Tanrikulu", "ardatan"],
  ["5", "Gil Gardosh", "gilgardosh"],
  ["6", "Laurin Quast", "laurin"],
].map(([id, name, username]) => ({ id, name, username, birthday: 1234567890 }));

const products = [
  ["1", "Table", 899, 100],
  ["2", "Couch", 1299, 1000],
  ["3", "Glass", 15, 20],
  ["4", "Chair", 499, 100],
  ["5", "TV", 1299, 1000],
  ["6", "Lamp", 6999, 300],
  ["7", "Grill", 3999, 2000],
  ["8", "Fridge", 100000, 6000],
  ["9", "Sofa", 9999, 800],
].map(([upc, name, price, weight]) => ({ upc: String(upc), name, price, weight }));

const inStock = new Map(["1", "5", "6", "7", "9"].map((upc) => [upc, true]));

const lorem =
  "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua.";
const reviews = ["1", "1", "1", "1", "2", "2", "2", "2", "3", "4", "4"].map((upc, i) => ({
  id: String(i + 1),
  body: `${lorem} ${"Ut enim ad minim veniam. ".repeat(1 + (i % 4))}`,
  product: { upc },
}));

export const federationSdl = {
  accounts: `${link}
    type Query { me: User user(id: ID!): User users: [User] }
    type User @key(fields: "id") { id: ID! name: String username: String @shareable birthday: Int }`,
  products: `${link}
    type Query { topProducts(first: Int = 5): [Product] }
    type Product @key(fields: "upc") { upc: String! name: String price: Int weight: Int }`,
  inventory: `${link}
    type Product @key(fields: "upc") { upc: String! weight: Int @external price: Int @external inStock: Boolean
      shippingEstimate: Int @requires(fields: "price weight") }`,
  reviews: `${link}
    type Review @key(fields: "id") { id: ID! body: String author: User @provides(fields: "username") product: Product }
    type User @key(fields: "id") { id: ID! username: String @external reviews: [Review] }
    type Product @key(fields: "upc") { upc: String! reviews: [Review] }`,
};

const federationResolvers = {
  accounts: {
    Query: {
      me: () => users[0],
      user: (_: unknown, { id }: { id: string }) => users.find((u) => u.id === id) ?? null,
      users: () => users,
    },
    User: { __resolveReference: (ref: { id: string }) => users.find((u) => u.id === ref.id) },
  },
  products: {
    Query: { topProducts: (_: unknown, { first }: { first: number }) => products.slice(0, first) },
    Product: { __resolveReference: (ref: { upc: string }) => products.find((p) => p.upc === ref.upc) },
  },
  inventory: {
    Product: {
      __resolveReference: (ref: { upc: string; price?: number; weight?: number }) => ({
        ...ref,
        inStock: inStock.has(ref.upc),
      }),
      shippingEstimate: (p: { price?: number; weight?: number }) =>
        p.price === undefined ? null : p.price > 1000 ? 0 : p.weight === undefined ? null : Math.floor(p.weight / 2),
    },
  },
  reviews: {
    Review: {
      __resolveReference: (ref: { id: string }) => reviews.find((r) => r.id === ref.id),
      author: () => ({ id: "1", username: "urigo" }),
    },
    User: { __resolveReference: (ref: { id: string }) => ({ id: ref.id }), reviews: () => reviews.slice(0, 2) },
    Product: {
      __resolveReference: (ref: { upc: string }) => ({ upc: ref.upc }),
      reviews: (p: { upc: string }) => reviews.filter((r) => r.product.upc === p.upc),
    },
  },
};

/** The federation benchmark's deep query (graphql-gateways-benchmark's TestQuery). */
export const testQuery = `fragment User on User { id username name }
fragment Review on Review { id body }
fragment Product on Product { inStock name price shippingEstimate upc weight }
query TestQuery {
  users { ...User reviews { ...Review product { ...Product reviews { ...Review author { ...User reviews { ...Review product { ...Product } } } } } } }
  topProducts { ...Product reviews { ...Review author { ...User reviews { ...Review product { ...Product } } } } }
}`;

// The contract's OrganizationLedger, over a ledger and a voting subgraph with 50 static entries.
export const clearbookSdl = {
  ledger: `${link}
    input EntryFilter { kind: String status: String year: Int semester: Int }
    type Query { organization(id: ID!): Organization }
    type Organization @key(fields: "id") { id: ID! name: String! treasuryBalance: String!
      entries(filter: EntryFilter, first: Int, after: String): LedgerEntryConnection! }
    type LedgerEntryConnection { edges: [LedgerEntryEdge!]! pageInfo: PageInfo! totalCount: Int! }
    type LedgerEntryEdge { node: LedgerEntry! cursor: String! }
    type PageInfo { hasNextPage: Boolean! endCursor: String }
    type LedgerEntry @key(fields: "id") { id: ID! kind: String! eventName: String! year: Int! semester: Int! amount: String!
      status: String! createdAt: String! submittedBy: User! evidence: [Evidence!]! tx: ChainTransaction }
    type User @key(fields: "id") { id: ID! displayName: String! }
    type Evidence { id: ID! fileName: String! sha256: String! url: String! }
    type ChainTransaction @key(fields: "txId") { txId: ID! status: String! block: Block }
    type Block { number: Int! hash: String! }`,
  voting: `${link}
    enum VoteChoice { APPROVE REJECT }
    type Mutation { castVote(ballotId: ID!, choice: VoteChoice!): VoteReceipt! }
    type VoteReceipt { choice: VoteChoice! pending: Boolean! tx: ChainTransaction! }
    type ChainTransaction @key(fields: "txId", resolvable: false) { txId: ID! }
    type LedgerEntry @key(fields: "id") { id: ID! ballot: Ballot }
    type Ballot @key(fields: "id") { id: ID! status: String! tally: VoteTally! }
    type VoteTally { approve: Int! reject: Int! eligible: Int! turnout: Float! }`,
};

const entries = Array.from({ length: 50 }, (_, i) => ({
  id: `entry-${i}`,
  kind: i % 3 === 0 ? "SPENDING" : "DEPOSIT",
  eventName: `Event ${i}`,
  year: 2026,
  semester: 1,
  amount: String(1000 + i * 37),
  status: "APPROVED",
  createdAt: "2026-01-01T00:00:00.000Z",
  submittedBy: { id: `user-${i % 7}`, displayName: `Member ${i % 7}` },
  evidence: [
    { id: `ev-${i}`, fileName: `receipt-${i}.pdf`, sha256: "ab".repeat(32), url: `https://files.example/${i}` },
  ],
  tx: { txId: `tx-${i}`, status: "COMMITTED", block: { number: 100 + i, hash: "cd".repeat(32) } },
}));

const clearbookResolvers = {
  ledger: {
    Query: {
      organization: (_: unknown, { id }: { id: string }) => ({
        id,
        name: "Student Council",
        treasuryBalance: "1234500",
      }),
    },
    Organization: {
      entries: () => ({
        totalCount: entries.length,
        pageInfo: { hasNextPage: false, endCursor: "entry-49" },
        edges: entries.map((node) => ({ node, cursor: node.id })),
      }),
    },
  },
  voting: {
    LedgerEntry: {
      __resolveReference: (ref: { id: string }) => ref,
      ballot: (entry: { id: string }) => ({ id: `ballot-${entry.id}`, status: "APPROVED" }),
    },
    Ballot: { tally: () => ({ approve: 12, reject: 3, eligible: 20, turnout: 0.75 }) },
    // The receipt does not depend on the ballot, so every answer of the castVote load is byte-identical.
    Mutation: {
      castVote: (_: unknown, { choice }: { choice: string }) => ({ choice, pending: true, tx: { txId: "tx-bench" } }),
    },
  },
};

/**
 * A subgraph over graphql-js. The data is static, so each distinct request body is executed once
 * and its encoded answer replayed: the subgraphs then cost what a fast native subgraph costs (the
 * public benchmark's are Rust), and the gateways, not Node subgraphs, are what the load measures.
 */
function serve(schema: GraphQLSchema): Server {
  const documents = new Map<string, DocumentNode>();
  const answers = new Map<string, string>();
  return createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const known = answers.get(raw);
      if (known !== undefined) {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(known);
        return;
      }
      const body = JSON.parse(raw) as {
        query: string;
        variables?: Record<string, unknown>;
        operationName?: string;
      };
      let document = documents.get(body.query);
      if (!document) {
        document = parse(body.query);
        documents.set(body.query, document);
      }
      const result = await execute({
        schema,
        document,
        variableValues: body.variables ?? {},
        operationName: body.operationName ?? null,
      });
      const text = JSON.stringify(result);
      if (answers.size > 10_000) answers.clear();
      answers.set(raw, text);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(text);
    });
  });
}

/** Starts every benchmark subgraph on consecutive ports from `basePort` (0: any free port). */
export async function startBenchSubgraphs(basePort: number) {
  const all: [string, string, unknown][] = [
    ...Object.entries(federationSdl).map(([n, sdl]): [string, string, unknown] => [
      n,
      sdl,
      federationResolvers[n as keyof typeof federationResolvers],
    ]),
    ...Object.entries(clearbookSdl).map(([n, sdl]): [string, string, unknown] => [
      n,
      sdl,
      clearbookResolvers[n as keyof typeof clearbookResolvers],
    ]),
  ];
  const urls: Record<string, string> = {};
  const servers: Server[] = [];
  for (const [i, [name, sdl, resolvers]] of all.entries()) {
    const schema = buildSubgraphSchema([{ typeDefs: parse(sdl), resolvers: resolvers as never }]);
    const server = serve(schema);
    await new Promise<void>((resolve) => server.listen(basePort === 0 ? 0 : basePort + i, "127.0.0.1", resolve));
    servers.push(server);
    urls[name] = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  }
  return {
    urls,
    close: () => Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r())))),
  };
}

if (process.argv[1]?.endsWith("bench-subgraphs.ts")) {
  const { urls } = await startBenchSubgraphs(Number(process.argv[2] ?? 0));
  process.stdout.write(`READY ${JSON.stringify(urls)}\n`);
}
