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

  @Mutation(() => AuthPayloadType)
  signUp(@Arg("input", () => SignUpInput) input: SignUpInput, @Ctx() ctx: LedgerContext): Promise<AuthPayloadType> {
    return ctx.services.sessions.signUp(ctx.em, input);
  }

  @Mutation(() => AuthPayloadType)
  logIn(
    @Arg("email", () => String) email: string,
    @Arg("password", () => String) password: string,
    @Arg("deviceName", () => String, { nullable: true }) deviceName: string | null,
    @Ctx() ctx: LedgerContext,
  ): Promise<AuthPayloadType> {
    return ctx.services.sessions.logIn(ctx.em, { email, password, deviceName }, ctx.ip);
  }

  @Mutation(() => AuthPayloadType, {
    description: "Rotates the refresh token; reusing an old one revokes the device's sessions.",
  })
  refreshSession(
    @Arg("refreshToken", () => String) refreshToken: string,
    @Ctx() ctx: LedgerContext,
  ): Promise<AuthPayloadType> {
    return ctx.services.sessions.refresh(ctx.em, refreshToken);
  }

  @Mutation(() => Boolean, {
    description: "Ends this device's session (pass its refresh token) or every device's (allDevices: true).",
  })
  logOut(
    @Arg("allDevices", () => Boolean, { nullable: true, defaultValue: false }) allDevices: boolean | null,
    @Arg("refreshToken", () => String, { nullable: true }) refreshToken: string | null,
    @Ctx() ctx: LedgerContext,
  ): Promise<boolean> {
    const userId = requireUser(ctx.viewer);
    return ctx.services.sessions.logOut(ctx.em, userId, { allDevices: allDevices ?? false, refreshToken });
  }
}
