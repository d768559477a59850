import { readFileSync } from "node:fs";
import { ApolloGateway } from "@apollo/gateway";
import type { GraphQLSchema } from "graphql";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { isPlanErrors, planOperation } from "../src/realtime/subscription-plan.js";
import { subscriptionRoutes } from "../src/realtime/subscription-routes.js";

const test = suite<{ schema: GraphQLSchema; gateway: ApolloGateway }>("realtime: the committed supergraph");

test.before(async (ctx) => {
  process.env.APOLLO_TELEMETRY_DISABLED = "true";
  const supergraphSdl = readFileSync(new URL("../supergraph.graphql", import.meta.url), "utf8");
  ctx.gateway = new ApolloGateway({ supergraphSdl });
  ctx.schema = (await ctx.gateway.load()).schema;
});
test.after(async (ctx) => {
  await ctx.gateway.stop();
});

test("every Subscription field has a route whose refetch query the API schema accepts", ({ schema }) => {
  const fields = Object.values(schema.getSubscriptionType()?.getFields() ?? {});
  const problems: string[] = [];
  for (const field of fields) {
    const args = field.args.map((a) => `${a.name}: "x"`).join(", ");
    const plan = planOperation(schema, subscriptionRoutes, {
      query: `subscription { ${field.name}${args ? `(${args})` : ""} { __typename } }`,
    });
    if (isPlanErrors(plan)) problems.push(`${field.name}: ${plan.map((e) => e.message).join("; ")}`);
  }
  assert.equal(problems, []);
});

test.run();
