import { ErrorCode } from "@clearbook/kit";
import type { GraphQLFormattedError } from "graphql";
import type { SubscriptionPlan } from "./subscription-plan.js";

/** Sorted-key JSON, so equal variables give equal group keys. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** Moves the refetched value to the subscription's response key and rewrites error paths to match. */
export function reshape(
  plan: SubscriptionPlan,
  data: Record<string, unknown> | null,
  errors: readonly GraphQLFormattedError[] | undefined,
): { data: Record<string, unknown> | null; errors?: GraphQLFormattedError[] } {
  const prefixLength = 1 + plan.route.refetch.path.length;
  const rewritten = errors?.map((e) =>
    e.path ? { ...e, path: [plan.responseKey, ...e.path.slice(prefixLength)] } : e,
  );
  let value: unknown = data?.[plan.route.refetch.field] ?? null;
  for (const step of plan.route.refetch.path) {
    value = value && typeof value === "object" ? ((value as Record<string, unknown>)[step] ?? null) : null;
  }
  if (value === null) {
    const notFound: GraphQLFormattedError = {
      message: `The ${plan.route.refetch.field} this subscription watches was not found.`,
      path: [plan.responseKey],
      extensions: { code: ErrorCode.NOT_FOUND },
    };
    return { data: null, errors: rewritten?.length ? rewritten : [notFound] };
  }
  return { data: { [plan.responseKey]: value }, ...(rewritten?.length ? { errors: rewritten } : {}) };
}
