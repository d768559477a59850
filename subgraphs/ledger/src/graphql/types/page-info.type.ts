import { Field, ObjectType } from "type-graphql";

@ObjectType("PageInfo", { description: "Where a page of a connection ends." })
export class PageInfoType {
  @Field(() => Boolean, { description: "True when another page follows this one." })
  hasNextPage!: boolean;

  @Field(() => String, {
    nullable: true,
    description: "Pass as `after` to get the next page; null when the page is empty.",
  })
  endCursor!: string | null;
}
