import { GraphQLError, GraphQLScalarType, Kind } from "graphql";

/** ISO-8601 UTC date-time, named as in the public contract (every subgraph declares the same scalar). */
export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: "DateTime",
  description: "ISO-8601 UTC",
  serialize: (value) => {
    if (value instanceof Date) return value.toISOString();
    throw new GraphQLError("DateTime cannot represent this value");
  },
  parseValue: (value) => {
    const date = typeof value === "string" ? new Date(value) : null;
    if (!date || Number.isNaN(date.getTime())) throw new GraphQLError("DateTime must be an ISO-8601 string");
    return date;
  },
  parseLiteral: (ast) => {
    const date = ast.kind === Kind.STRING ? new Date(ast.value) : null;
    if (!date || Number.isNaN(date.getTime())) throw new GraphQLError("DateTime must be an ISO-8601 string");
    return date;
  },
});
