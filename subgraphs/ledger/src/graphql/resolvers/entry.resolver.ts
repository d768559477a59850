import { errors } from "@clearbook/kit";
import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import type { LedgerContext } from "../context.js";
import { DepositInput, EvidenceUploadInput, SpendingInput } from "../inputs.js";
import { ChainTransactionType } from "../types/chain.type.js";
import { EntryActivityType, EvidenceType, EvidenceUploadType, LedgerEntryType } from "../types/ledger-entry.type.js";
import { OrganizationType } from "../types/organization.type.js";
import { UserType } from "../types/user.type.js";
import { toTransaction } from "./explorer.resolver.js";

@Resolver(() => LedgerEntryType)
export class LedgerEntryResolver {
  @Query(() => LedgerEntryType, { nullable: true })
  ledgerEntry(@Arg("id", () => ID) id: string, @Ctx() ctx: LedgerContext): Promise<LedgerEntryType | null> {
    return ctx.services.entries.entry(ctx.em, id) as Promise<LedgerEntryType | null>;
  }

  @Mutation(() => LedgerEntryType)
  submitDeposit(
    @Arg("input", () => DepositInput) input: DepositInput,
    @Ctx() ctx: LedgerContext,
  ): Promise<LedgerEntryType> {
    return ctx.services.entries.submitDeposit(ctx.em, ctx.viewer, input) as Promise<LedgerEntryType>;
  }

  @Mutation(() => LedgerEntryType)
  approveDeposit(@Arg("entryId", () => ID) entryId: string, @Ctx() ctx: LedgerContext): Promise<LedgerEntryType> {
    return ctx.services.entries.approveDeposit(ctx.em, ctx.viewer, entryId) as Promise<LedgerEntryType>;
  }

  @Mutation(() => LedgerEntryType)
  rejectDeposit(
    @Arg("entryId", () => ID) entryId: string,
    @Arg("reason", () => String) reason: string,
    @Ctx() ctx: LedgerContext,
  ): Promise<LedgerEntryType> {
    return ctx.services.entries.rejectDeposit(ctx.em, ctx.viewer, entryId, reason) as Promise<LedgerEntryType>;
  }

  @Mutation(() => LedgerEntryType, { description: "Council only; opens a ballot." })
  proposeSpending(
    @Arg("input", () => SpendingInput) input: SpendingInput,
    @Ctx() ctx: LedgerContext,
  ): Promise<LedgerEntryType> {
    return ctx.services.entries.proposeSpending(ctx.em, ctx.viewer, input) as Promise<LedgerEntryType>;
  }

  @Mutation(() => EvidenceUploadType)
  createEvidenceUpload(
    @Arg("input", () => EvidenceUploadInput) input: EvidenceUploadInput,
    @Ctx() ctx: LedgerContext,
  ): Promise<EvidenceUploadType> {
    return ctx.services.evidence.createUpload(ctx.em, ctx.viewer, input);
  }

  @FieldResolver(() => OrganizationType)
  async organization(@Root() entry: LedgerEntryType, @Ctx() ctx: LedgerContext): Promise<OrganizationType> {
    const org = await ctx.loaders.orgs.load(entry.orgId);
    if (!org) throw errors.notFound("Organization", entry.orgId);
    return org;
  }

  @FieldResolver(() => [EvidenceType])
  async evidence(@Root() entry: LedgerEntryType, @Ctx() ctx: LedgerContext): Promise<EvidenceType[]> {
    const rows = await Promise.all(entry.evidenceIds.map((id) => ctx.loaders.evidence.load(id)));
    return rows.filter((row): row is NonNullable<typeof row> => row !== null);
  }

  @FieldResolver(() => UserType)
  async submittedBy(@Root() entry: LedgerEntryType, @Ctx() ctx: LedgerContext): Promise<UserType> {
    const user = await ctx.loaders.users.load(entry.submittedBy);
    if (!user) throw errors.notFound("User", entry.submittedBy);
    return user;
  }

  @FieldResolver(() => UserType, { nullable: true })
  decidedBy(@Root() entry: LedgerEntryType, @Ctx() ctx: LedgerContext): Promise<UserType | null> {
    return entry.decidedBy ? ctx.loaders.users.load(entry.decidedBy) : Promise.resolve(null);
  }

  @FieldResolver(() => ChainTransactionType, {
    nullable: true,
    description: "The transaction that recorded the latest change.",
  })
  async tx(@Root() entry: LedgerEntryType, @Ctx() ctx: LedgerContext): Promise<ChainTransactionType | null> {
    const tx = entry.txId ? await ctx.loaders.txs.load(entry.txId) : null;
    return tx ? toTransaction(tx) : null;
  }

  @FieldResolver(() => [EntryActivityType], { description: "Who did what, when, in which transaction." })
  activity(@Root() entry: LedgerEntryType, @Ctx() ctx: LedgerContext): Promise<EntryActivityType[]> {
    return ctx.services.entries.activity(ctx.em, entry.id);
  }
}

@Resolver(() => EntryActivityType)
export class EntryActivityResolver {
  @FieldResolver(() => UserType, { nullable: true })
  actor(@Root() activity: EntryActivityType, @Ctx() ctx: LedgerContext): Promise<UserType | null> {
    return activity.actorId ? ctx.loaders.users.load(activity.actorId) : Promise.resolve(null);
  }

  @FieldResolver(() => ChainTransactionType, { nullable: true })
  async tx(@Root() activity: EntryActivityType, @Ctx() ctx: LedgerContext): Promise<ChainTransactionType | null> {
    const tx = activity.txId ? await ctx.loaders.txs.load(activity.txId) : null;
    return tx ? toTransaction(tx) : null;
  }
}

@Resolver(() => EvidenceType)
export class EvidenceResolver {
  @FieldResolver(() => String, { description: "A signed, expiring download link (empty until the file is uploaded)." })
  async url(@Root() evidence: EvidenceType, @Ctx() ctx: LedgerContext): Promise<string> {
    return evidence.uploadedAt
      ? ctx.services.evidence.downloadUrl(evidence as Parameters<typeof ctx.services.evidence.downloadUrl>[0])
      : "";
  }
}
