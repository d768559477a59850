import { Directive, Field, ID, ObjectType } from "type-graphql";
import { Role } from "../enums.js";
import { DateTimeScalar } from "../scalars.js";

@Directive('@key(fields: "id")')
@ObjectType("User", { description: "A person with an account." })
export class UserType {
  @Field(() => ID, { description: "Stable identifier of the account." })
  id!: string;

  @Field(() => String, { description: "The name other members see." })
  displayName!: string;
}

@ObjectType("Membership", { description: "A user's place in one organization." })
export class MembershipType {
  /** Resolved by the field resolver from `orgId`. */
  orgId!: string;

  @Field(() => [Role], { description: "MEMBER, plus COUNCIL for the organization's council." })
  roles!: Role[];

  @Field(() => DateTimeScalar, { description: "When the membership began." })
  since!: Date;
}

@ObjectType("AuthPayload", {
  description:
    "A new session. Send the access token as `Authorization: Bearer <token>`; exchange the refresh token with " +
    "`refreshSession` before the access token expires.",
})
export class AuthPayloadType {
  @Field(() => String, { description: "A short-lived JWT for the Authorization header." })
  accessToken!: string;

  @Field(() => String, { description: "Single-use: each refresh returns a new one. Keep it secret." })
  refreshToken!: string;

  @Field(() => UserType, { description: "The signed-in user." })
  user!: UserType;
}
