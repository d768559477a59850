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
  @Query(() => LedgerEntryType, {
    nullable: true,
    description: "One entry by id; null when there is none. Public, like the whole ledger.",
  })
  ledgerEntry(
    @Arg("id", () => ID, { description: "The entry's id." }) id: string,
    @Ctx() ctx: LedgerContext,
  ): Promise<LedgerEntryType | null> {
    return ctx.services.entries.entry(ctx.em, id) as Promise<LedgerEntryType | null>;
  }

  @Mutation(() => LedgerEntryType, {
    description:
      "Records money received (members of the organization). Idempotent by `idempotencyKey`. " +
      "Returns at once with the entry PENDING and its pending transaction; follow it with `ledgerEntryChanged(orgId)` or `transactionConfirmed(txId)`. Errors: UNAUTHENTICATED, FORBIDDEN (not a member), NOT_FOUND (no such organization), " +
      "BAD_USER_INPUT (a field is invalid; `extensions.field` names it).",
  })
  submitDeposit(
    @Arg("input", () => DepositInput, { description: "The deposit." }) input: DepositInput,
    @Ctx() ctx: LedgerContext,
  ): Promise<LedgerEntryType> {
    return ctx.services.entries.submitDeposit(ctx.em, ctx.viewer, input) as Promise<LedgerEntryType>;
  }

  @Mutation(() => LedgerEntryType, {
    description:
      "Approves a pending deposit (the organization's council, not the submitter). Retrying returns the same " +
      "decision. Returns at once with the entry PENDING and its pending transaction; follow it with `ledgerEntryChanged(orgId)` or `transactionConfirmed(txId)`. Errors: UNAUTHENTICATED, FORBIDDEN (not council, or your own deposit), " +
      "NOT_FOUND, BAD_USER_INPUT (not a deposit), CONFLICT (already decided, or another decision is pending).",
  })
  approveDeposit(
    @Arg("entryId", () => ID, { description: "The deposit's id." }) entryId: string,
    @Ctx() ctx: LedgerContext,
  ): Promise<LedgerEntryType> {
    return ctx.services.entries.approveDeposit(ctx.em, ctx.viewer, entryId) as Promise<LedgerEntryType>;
  }

  @Mutation(() => LedgerEntryType, {
    description:
      "Rejects a pending deposit with a reason (the organization's council, not the submitter). " +
      "Returns at once with the entry PENDING and its pending transaction; follow it with `ledgerEntryChanged(orgId)` or `transactionConfirmed(txId)`. Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, BAD_USER_INPUT (not a deposit, or no " +
      "reason), CONFLICT (already decided, or another decision is pending).",
  })
  rejectDeposit(
    @Arg("entryId", () => ID, { description: "The deposit's id." }) entryId: string,
    @Arg("reason", () => String, { description: "Why, 1 to 500 characters; members see it." }) reason: string,
    @Ctx() ctx: LedgerContext,
  ): Promise<LedgerEntryType> {
    return ctx.services.entries.rejectDeposit(ctx.em, ctx.viewer, entryId, reason) as Promise<LedgerEntryType>;
  }

  @Mutation(() => LedgerEntryType, {
    description:
      "Proposes paying money out (the organization's council); once committed the chain opens a ballot, " +
      "see `LedgerEntry.ballot`. Idempotent by `idempotencyKey`. Returns at once with the entry PENDING and its pending transaction; follow it with `ledgerEntryChanged(orgId)` or `transactionConfirmed(txId)`. Errors: UNAUTHENTICATED, " +
      "FORBIDDEN (not council), NOT_FOUND, BAD_USER_INPUT, INSUFFICIENT_FUNDS (more than the treasury holds).",
  })
  proposeSpending(
    @Arg("input", () => SpendingInput, { description: "The spending." }) input: SpendingInput,
    @Ctx() ctx: LedgerContext,
  ): Promise<LedgerEntryType> {
    return ctx.services.entries.proposeSpending(ctx.em, ctx.viewer, input) as Promise<LedgerEntryType>;
  }

  @Mutation(() => EvidenceUploadType, {
    description:
      "Reserves a receipt file and returns where to upload it (signed-in users); attach it to a deposit or " +
      "spending by id. Errors: UNAUTHENTICATED, BAD_USER_INPUT (name, type, size or hash invalid).",
  })
  createEvidenceUpload(
    @Arg("input", () => EvidenceUploadInput, { description: "The file you are about to upload." })
    input: EvidenceUploadInput,
    @Ctx() ctx: LedgerContext,
  ): Promise<EvidenceUploadType> {
    return ctx.services.evidence.createUpload(ctx.em, ctx.viewer, input);
  }

  @FieldResolver(() => OrganizationType, { description: "The organization whose treasury it belongs to." })
  async organization(@Root() entry: LedgerEntryType, @Ctx() ctx: LedgerContext): Promise<OrganizationType> {
    const org = await ctx.loaders.orgs.load(entry.orgId);
    if (!org) throw errors.notFound("Organization", entry.orgId);
    return org;
  }

  @FieldResolver(() => [EvidenceType], { description: "The receipts attached to it." })
  async evidence(@Root() entry: LedgerEntryType, @Ctx() ctx: LedgerContext): Promise<EvidenceType[]> {
    const rows = await Promise.all(entry.evidenceIds.map((id) => ctx.loaders.evidence.load(id)));
    return rows.filter((row): row is NonNullable<typeof row> => row !== null);
  }

  @FieldResolver(() => UserType, { description: "Who submitted or proposed it." })
  async submittedBy(@Root() entry: LedgerEntryType, @Ctx() ctx: LedgerContext): Promise<UserType> {
    const user = await ctx.loaders.users.load(entry.submittedBy);
    if (!user) throw errors.notFound("User", entry.submittedBy);
    return user;
  }

  @FieldResolver(() => UserType, {
    nullable: true,
    description: "The council member who approved or rejected a deposit; null otherwise.",
  })
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
  @FieldResolver(() => UserType, { nullable: true, description: "Who did it; null for the chain itself." })
  actor(@Root() activity: EntryActivityType, @Ctx() ctx: LedgerContext): Promise<UserType | null> {
    return activity.actorId ? ctx.loaders.users.load(activity.actorId) : Promise.resolve(null);
  }

  @FieldResolver(() => ChainTransactionType, {
    nullable: true,
    description: "The transaction that recorded it; null for steps off the chain.",
  })
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
