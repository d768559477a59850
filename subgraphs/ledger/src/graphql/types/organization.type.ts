import { Directive, Field, ID, Int, ObjectType } from "type-graphql";
import { EntryStatusEnum } from "../enums.js";
import { PageInfoType } from "./page-info.type.js";
import { UserType } from "./user.type.js";

@Directive('@key(fields: "id")')
@ObjectType("Organization", { description: "A community with a treasury on the chain, such as a student council." })
export class OrganizationType {
  @Field(() => ID, { description: "Stable identifier of the organization." })
  id!: string;

  @Field(() => String, { description: "The organization's name, 2 to 200 characters." })
  name!: string;
}

@ObjectType("UserEdge", { description: "One member in a page of members." })
export class UserEdgeType {
  @Field(() => UserType, { description: "The member." })
  node!: UserType;

  @Field(() => String, { description: "Pass as `after` to continue after this member." })
  cursor!: string;
}

@ObjectType("UserConnection", { description: "A page of an organization's members." })
export class UserConnectionType {
  @Field(() => [UserEdgeType], { description: "The members on this page." })
  edges!: UserEdgeType[];

  @Field(() => PageInfoType, { description: "Whether and where the next page starts." })
  pageInfo!: PageInfoType;

  @Field(() => Int, { description: "How many members the organization has in all." })
  totalCount!: number;
}

@ObjectType("MembershipRequest", {
  description: "A user's request to join an organization; any member may approve it.",
})
export class MembershipRequestType {
  @Field(() => ID, { description: "Stable identifier of the request." })
  id!: string;

  orgId!: string;
  userId!: string;
  approvedBy?: string | null;
  txId?: string | null;

  @Field(() => EntryStatusEnum, {
    description: "PENDING until approved; APPROVED once the chain committed the membership.",
  })
  status!: EntryStatusEnum;
}
