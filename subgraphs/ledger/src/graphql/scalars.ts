import { GraphQLError, GraphQLScalarType, Kind } from "graphql";

/** ISO-8601 UTC date-time, named as in the public contract. */
export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: "DateTime",
  description: "ISO-8601 UTC",
  serialize: (value) => {
    if (value instanceof Date) return value.toISOString();
    if (typeof value === "string") return new Date(value).toISOString();
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

/**
 * Integer minor units as a decimal string. Inputs stay strings here: the services parse them, so a
 * negative or fractional amount is a BAD_USER_INPUT naming the field, like every other rule.
 */
export const MoneyScalar = new GraphQLScalarType<string, string>({
  name: "Money",
  description: 'integer minor units as a decimal string, e.g. "12500"; never negative in inputs',
  serialize: (value) => {
    if (typeof value === "bigint") return value.toString();
    if (typeof value === "string" && /^-?\d+$/.test(value)) return value;
    throw new GraphQLError("Money cannot represent this value");
  },
  parseValue: (value) => {
    if (typeof value !== "string") throw new GraphQLError('Money must be a string like "12500"');
    return value;
  },
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('Money must be a string like "12500"');
    return ast.value;
  },
});
