import { Directive, Field, ID, Int, ObjectType } from "type-graphql";
import { EntryStatusEnum } from "../enums.js";
import { PageInfoType } from "./page-info.type.js";
import { UserType } from "./user.type.js";

@Directive('@key(fields: "id")')
@ObjectType("Organization")
export class OrganizationType {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;
}

@ObjectType("UserEdge")
export class UserEdgeType {
  @Field(() => UserType)
  node!: UserType;

  @Field(() => String)
  cursor!: string;
}

@ObjectType("UserConnection")
export class UserConnectionType {
  @Field(() => [UserEdgeType])
  edges!: UserEdgeType[];

  @Field(() => PageInfoType)
  pageInfo!: PageInfoType;

  @Field(() => Int)
  totalCount!: number;
}

@ObjectType("MembershipRequest")
export class MembershipRequestType {
  @Field(() => ID)
  id!: string;

  orgId!: string;
  userId!: string;
  approvedBy?: string | null;
  txId?: string | null;

  @Field(() => EntryStatusEnum)
  status!: EntryStatusEnum;
}
