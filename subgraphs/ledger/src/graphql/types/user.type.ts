import { Directive, Field, ID, ObjectType } from "type-graphql";
import { Role } from "../enums.js";
import { DateTimeScalar } from "../scalars.js";

@Directive('@key(fields: "id")')
@ObjectType("User")
export class UserType {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  displayName!: string;
}

@ObjectType("Membership")
export class MembershipType {
  /** Resolved by the field resolver from `orgId`. */
  orgId!: string;

  @Field(() => [Role])
  roles!: Role[];

  @Field(() => DateTimeScalar)
  since!: Date;
}

@ObjectType("AuthPayload")
export class AuthPayloadType {
  @Field(() => String)
  accessToken!: string;

  @Field(() => String)
  refreshToken!: string;

  @Field(() => UserType)
  user!: UserType;
}
