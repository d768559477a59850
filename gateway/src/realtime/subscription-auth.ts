import { AppError, ErrorCode, toGraphQLError } from "@clearbook/kit";
import { GraphQLError, type GraphQLFormattedError, parse } from "graphql";
import type { AuthorizeFn, ExecuteFn, RealtimeViewer } from "./realtime-types.js";
import type { SubscriptionPlan } from "./subscription-plan.js";

/**
 * Decides whether `viewer` may hold the subscription: the route's check query runs through the
 * gateway as the viewer (so the owning subgraph's own rules decide, e.g. a wallet's owner), then
 * the optional `authorize` hook.
 * @returns null when allowed, else the errors to send back. Throws only if `execute` throws.
 */
export async function authorizeSubscription(
  plan: SubscriptionPlan,
  viewer: RealtimeViewer,
  execute: ExecuteFn,
  authorize: AuthorizeFn | undefined,
): Promise<readonly (GraphQLError | GraphQLFormattedError)[] | null> {
  const { route } = plan;
  if (route.check) {
    const document = parse(
      `query RealtimeAuthorization($value: ID!) { ${route.check.field}(${route.check.argument}: $value) { __typename } }`,
    );
    const result = await execute({
      document,
      variables: { value: plan.matchValue },
      viewer: { ...viewer, rid: `ws-authorize-${route.field}` },
    });
    if (result.errors?.length) return result.errors;
    if (!result.data?.[route.check.field]) {
      return [
        toGraphQLError(new AppError(ErrorCode.NOT_FOUND, `The ${route.check.field} ${plan.matchValue} was not found.`)),
      ];
    }
  }
  if (authorize) {
    try {
      await authorize({ field: route.field, argument: route.argument, value: plan.matchValue, viewer });
    } catch (error) {
      if (error instanceof AppError) return [toGraphQLError(error)];
      throw error;
    }
  }
  return null;
}
