import { buildSchema, print } from "graphql";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { isPlanErrors, planOperation, type SubscriptionPlan } from "../src/realtime/subscription-plan.js";
import { subscriptionRoutes } from "../src/realtime/subscription-routes.js";

const schema = buildSchema(`
  type VoteTally { ballotId: ID! approve: Int! reject: Int! }
  type Ballot { id: ID! status: String! tally: VoteTally! history(last: Int): [String!]! }
  type LedgerEntry { id: ID! eventName: String! }
  type Query { ballot(id: ID!): Ballot ledgerEntry(id: ID!): LedgerEntry }
  type Subscription {
    voteTallyChanged(ballotId: ID!): VoteTally!
    ballotClosed(orgId: ID!): Ballot!
    ledgerEntryChanged(orgId: ID!): LedgerEntry!
    somethingElse(id: ID!): Ballot!
  }
`);

const plan = (query: string, variables?: Record<string, unknown>, extensions?: Record<string, unknown>) =>
  planOperation(schema, subscriptionRoutes, { query, variables, extensions });

const ok = (result: ReturnType<typeof plan>): SubscriptionPlan => {
  if (isPlanErrors(result)) throw new Error(result.map((e) => e.message).join("; "));
  return result;
};
const errorOf = (result: ReturnType<typeof plan>): string => {
  if (!isPlanErrors(result)) throw new Error("expected errors");
  return result.map((e) => e.message).join("; ");
};
const oneLine = (text: string) => text.replace(/\s+/g, " ").trim();

const test = suite("realtime: subscription → refetch query");

test("nests the selection under the refetch field and path, bound to the subscription's argument", () => {
  const p = ok(plan(`subscription Tally($id: ID!) { voteTallyChanged(ballotId: $id) { approve } }`, { id: "b1" }));
  assert.is(oneLine(p.documentText), "query Tally($__rtRoot: ID!) { ballot(id: $__rtRoot) { tally { approve } } }");
  assert.equal(p.variables, { __rtRoot: "b1" });
  assert.is(p.matchValue, "b1");
  assert.is(p.responseKey, "voteTallyChanged");
  assert.is(p.lastEventId, null);
});

test("keeps aliases, fragments and the variables the selection still uses", () => {
  const p = ok(
    plan(
      `subscription($org: ID!, $n: Int) { closed: ballotClosed(orgId: $org) { ...B history(last: $n) } }
       fragment B on Ballot { id status }`,
      { org: "o1", n: 3 },
      { lastEventId: "1700000000000-2" },
    ),
  );
  assert.is(
    oneLine(print(p.document)),
    oneLine(`query ($n: Int, $__rtRoot: ID!) { ballot(id: $__rtRoot) { ...B history(last: $n) } }
      fragment B on Ballot { id status }`),
  );
  // The ballot id comes from each event, so only $n is carried.
  assert.equal(p.variables, { n: 3 });
  assert.is(p.responseKey, "closed");
  assert.is(p.matchValue, "o1");
  assert.is(p.lastEventId, "1700000000000-2");
});

test("ignores a malformed last event id", () => {
  const p = ok(plan(`subscription { voteTallyChanged(ballotId: "b1") { approve } }`, {}, { lastEventId: "yesterday" }));
  assert.is(p.lastEventId, null);
});

const refusals: [string, string, RegExp][] = [
  ["a syntax error", `subscription {`, /Syntax Error/],
  ["an unknown field", `subscription { voteTallyChanged(ballotId: "b1") { nope } }`, /nope/],
  ["a missing variable", `subscription($id: ID!) { voteTallyChanged(ballotId: $id) { approve } }`, /\$id/],
  ["a query", `{ ballot(id: "b1") { id } }`, /over HTTP/],
  ["a field without a route", `subscription { somethingElse(id: "x") { id } }`, /not served/],
  [
    "a fragment at the root",
    `subscription { ... on Subscription { voteTallyChanged(ballotId: "b1") { approve } } }`,
    /exactly one field/,
  ],
];
for (const [what, query, message] of refusals) {
  test(`refuses ${what}`, () => {
    assert.match(errorOf(plan(query)), message);
  });
}

test("refuses a subscription whose refetch field the schema lacks", () => {
  const narrow = buildSchema(`
    type LedgerEntry { id: ID! }
    type Query { ping: Boolean }
    type Subscription { ledgerEntryChanged(orgId: ID!): LedgerEntry! }
  `);
  const result = planOperation(narrow, subscriptionRoutes, {
    query: `subscription { ledgerEntryChanged(orgId: "o1") { id } }`,
  });
  assert.match(errorOf(result), /cannot be resolved/);
});

test.run();
