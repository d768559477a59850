import { Arg, Ctx, Mutation, Query, Resolver } from "type-graphql";
import { requireUser } from "../../org/access.js";
import type { LedgerContext } from "../context.js";
import { SignUpInput } from "../inputs.js";
import { AuthPayloadType, UserType } from "../types/user.type.js";

@Resolver()
export class AuthResolver {
  @Query(() => UserType, { nullable: true, description: "The signed-in user; null when anonymous." })
  async me(@Ctx() ctx: LedgerContext): Promise<UserType | null> {
    return ctx.viewer.sub ? ctx.loaders.users.load(ctx.viewer.sub) : null;
  }

  @Mutation(() => AuthPayloadType, {
    description:
      "Creates an account and signs it in. Anyone may call it. Errors: BAD_USER_INPUT (email, password or display " +
      "name invalid; `extensions.field` names it), CONFLICT (the email is taken).",
  })
  signUp(
    @Arg("input", () => SignUpInput, { description: "The new account." }) input: SignUpInput,
    @Ctx() ctx: LedgerContext,
  ): Promise<AuthPayloadType> {
    return ctx.services.sessions.signUp(ctx.em, input);
  }

  @Mutation(() => AuthPayloadType, {
    description:
      "Signs in with email and password. Errors: UNAUTHENTICATED (wrong email or password), RATE_LIMITED " +
      "(too many failures for this account or address; `extensions.retryAfterSeconds` says when to retry).",
  })
  logIn(
    @Arg("email", () => String, { description: "The account's email." }) email: string,
    @Arg("password", () => String, { description: "The account's password." }) password: string,
    @Arg("deviceName", () => String, { nullable: true, description: 'Shown in the session list, e.g. "Pixel 9".' })
    deviceName: string | null,
    @Ctx() ctx: LedgerContext,
  ): Promise<AuthPayloadType> {
    return ctx.services.sessions.logIn(ctx.em, { email, password, deviceName }, ctx.ip);
  }

  @Mutation(() => AuthPayloadType, {
    description:
      "Rotates the refresh token; reusing an old one revokes the device's sessions. " +
      "Errors: UNAUTHENTICATED (the session has ended; log in again).",
  })
  refreshSession(
    @Arg("refreshToken", () => String, { description: "The latest refresh token of this device." })
    refreshToken: string,
    @Ctx() ctx: LedgerContext,
  ): Promise<AuthPayloadType> {
    return ctx.services.sessions.refresh(ctx.em, refreshToken);
  }

  @Mutation(() => Boolean, {
    description:
      "Ends this device's session (pass its refresh token) or every device's (allDevices: true); signed-in users. " +
      "Errors: UNAUTHENTICATED, BAD_USER_INPUT (neither argument given).",
  })
  logOut(
    @Arg("allDevices", () => Boolean, {
      nullable: true,
      defaultValue: false,
      description: "True ends the sessions of every device of the user.",
    })
    allDevices: boolean | null,
    @Arg("refreshToken", () => String, { nullable: true, description: "This device's refresh token." })
    refreshToken: string | null,
    @Ctx() ctx: LedgerContext,
  ): Promise<boolean> {
    const userId = requireUser(ctx.viewer);
    return ctx.services.sessions.logOut(ctx.em, userId, { allDevices: allDevices ?? false, refreshToken });
  }
}
