import { Info, Returns, Transaction } from "fabric-contract-api";
import type { Ballot, DepositDecision, LedgerEntry, Mint } from "../api/documents.js";
import { BallotStatus, EntryKind, EntryStatus, MintKind } from "../api/documents.js";
import { EventName } from "../api/events.js";
import { EntryLimits } from "../api/rules.js";
import { ContractName, depositMintId, treasuryAddress } from "../api/transactions.js";
import { getOrganization, requireCouncil, requireMember } from "../org/membership.js";
import { ClearbookContract } from "../shared/base.contract.js";
import { ClearbookContext } from "../shared/context.js";
import { fail } from "../shared/errors.js";
import { KeyType } from "../shared/keys.js";
import { parseAmount, parseEvidence, parseId, parseInteger, parseText } from "../shared/parse.js";
import { credit, getAccount } from "../token/accounts.js";
import { getEntry } from "./entries.js";

interface EntryFields {
  eventName: string;
  year: number;
  semester: number;
  amount: bigint;
  evidence: string[];
}

function parseEntryFields(eventName: string, year: string, semester: string, amount: string, evidence: string) {
  return {
    eventName: parseText("eventName", eventName, EntryLimits.eventNameMaxLength),
    year: parseInteger("year", year, EntryLimits.yearMin, EntryLimits.yearMax),
    semester: parseInteger("semester", semester, EntryLimits.semesterMin, EntryLimits.semesterMax),
    amount: parseAmount("amount", amount),
    evidence: parseEvidence("evidenceSha256Json", evidence),
  } satisfies EntryFields;
}

@Info({ title: "ledger", description: "Deposits and spending proposals of organizations" })
export class LedgerContract extends ClearbookContract {
  constructor() {
    super(ContractName.LEDGER);
  }

  @Transaction()
  @Returns("string")
  async SubmitDeposit(
    ctx: ClearbookContext,
    entryId: string,
    orgId: string,
    eventName: string,
    year: string,
    semester: string,
    amount: string,
    evidenceSha256Json: string,
  ): Promise<string> {
    const caller = ctx.caller();
    const id = parseId("entryId", entryId);
    const org = parseId("orgId", orgId);
    const fields = parseEntryFields(eventName, year, semester, amount, evidenceSha256Json);
    await getOrganization(ctx, org);
    await requireMember(ctx, org, caller);
    if (await ctx.exists(KeyType.ENTRY, id)) throw fail.alreadyUsed("entry id", id);
    const entry = this.newEntry(ctx, id, org, EntryKind.DEPOSIT, fields, caller.userId, null, null);
    await this.writeNewEntry(ctx, entry);
    ctx.emit(EventName.LedgerDepositSubmitted, { entry });
    return this.result(entry);
  }

  /** Council only, never the submitter; the amount enters the chain as a DEPOSIT mint into the treasury. */
  @Transaction()
  @Returns("string")
  async ApproveDeposit(ctx: ClearbookContext, entryId: string): Promise<string> {
    const { entry: pending, caller } = await this.pendingDeposit(ctx, entryId);
    const now = ctx.now();
    const entry: LedgerEntry = { ...pending, status: EntryStatus.APPROVED, decidedBy: caller, decidedAt: now };
    const mintId = depositMintId(entry.entryId);
    if (await ctx.exists(KeyType.MINT, mintId)) throw fail.alreadyUsed("mint id", mintId);
    const mint: Mint = {
      mintId,
      kind: MintKind.DEPOSIT,
      address: treasuryAddress(entry.orgId),
      amount: entry.amount,
      approvedBy: caller,
      at: now,
    };
    const treasury = await credit(ctx, await getAccount(ctx, mint.address), BigInt(entry.amount));
    await ctx.write(KeyType.ENTRY, [entry.entryId], entry);
    await ctx.write(KeyType.MINT, [mint.mintId], mint);
    const decision: DepositDecision = { entry, treasury, mint };
    ctx.emit(EventName.LedgerDepositApproved, decision);
    return this.result(decision);
  }

  @Transaction()
  @Returns("string")
  async RejectDeposit(ctx: ClearbookContext, entryId: string, reason: string): Promise<string> {
    const why = parseText("reason", reason, 500);
    const { entry: pending, caller } = await this.pendingDeposit(ctx, entryId);
    const entry: LedgerEntry = {
      ...pending,
      status: EntryStatus.REJECTED,
      decidedBy: caller,
      decidedAt: ctx.now(),
      reason: why,
    };
    await ctx.write(KeyType.ENTRY, [entry.entryId], entry);
    const decision: DepositDecision = { entry, treasury: null, mint: null };
    ctx.emit(EventName.LedgerDepositRejected, decision);
    return this.result(decision);
  }

  /**
   * Council only. Records the spending as VOTING and opens its ballot (id chosen by the caller)
   * with the organization's settings and a snapshot of its members: one eligibility key each.
   */
  @Transaction()
  @Returns("string")
  async ProposeSpending(
    ctx: ClearbookContext,
    entryId: string,
    ballotId: string,
    orgId: string,
    eventName: string,
    year: string,
    semester: string,
    amount: string,
    payeeAddress: string,
    evidenceSha256Json: string,
  ): Promise<string> {
    const caller = ctx.caller();
    const id = parseId("entryId", entryId);
    const ballotKey = parseId("ballotId", ballotId);
    const org = parseId("orgId", orgId);
    const fields = parseEntryFields(eventName, year, semester, amount, evidenceSha256Json);
    const payee = parseId("payeeAddress", payeeAddress);
    if (payee === treasuryAddress(org)) throw fail.badInput("payeeAddress", "must not be the paying treasury");
    const organization = await getOrganization(ctx, org);
    await requireCouncil(ctx, org, caller);
    if (await ctx.exists(KeyType.ENTRY, id)) throw fail.alreadyUsed("entry id", id);
    if (await ctx.exists(KeyType.BALLOT, ballotKey)) throw fail.alreadyUsed("ballot id", ballotKey);
    const members = await ctx.list(KeyType.MEMBER, org);
    const entry = this.newEntry(ctx, id, org, EntryKind.SPENDING, fields, caller.userId, payee, ballotKey);
    const { ballotDurationSeconds, quorumBps, thresholdBps } = organization.settings;
    const ballot: Ballot = {
      ballotId: ballotKey,
      orgId: org,
      entryId: id,
      opensAt: ctx.now(),
      closesAt: new Date(ctx.nowMs() + ballotDurationSeconds * 1000).toISOString(),
      eligibleCount: members.length,
      quorumBps,
      thresholdBps,
      status: BallotStatus.OPEN,
      finalizedAt: null,
      finalizedBy: null,
      finalTally: null,
    };
    await this.writeNewEntry(ctx, entry);
    await ctx.write(KeyType.BALLOT, [ballotKey], ballot);
    for (const { value: member } of members) {
      await ctx.write(KeyType.BALLOT_ELIGIBLE, [ballotKey, member.userId], { since: member.since });
    }
    ctx.emit(EventName.LedgerSpendingProposed, { entry, ballot });
    return this.result({ entry, ballot });
  }

  @Transaction(false)
  @Returns("string")
  async GetEntry(ctx: ClearbookContext, entryId: string): Promise<string> {
    return this.result(await getEntry(ctx, parseId("entryId", entryId)));
  }

  @Transaction(false)
  @Returns("string")
  async ListEntries(ctx: ClearbookContext, orgId: string): Promise<string> {
    const org = parseId("orgId", orgId);
    await getOrganization(ctx, org);
    const entries: LedgerEntry[] = [];
    for (const { attributes } of await ctx.list(KeyType.ENTRY_BY_ORG, org)) {
      entries.push(await getEntry(ctx, attributes[1] ?? ""));
    }
    return this.result(entries);
  }

  private newEntry(
    ctx: ClearbookContext,
    entryId: string,
    orgId: string,
    kind: EntryKind,
    fields: EntryFields,
    submittedBy: string,
    payeeAddress: string | null,
    ballotId: string | null,
  ): LedgerEntry {
    return {
      entryId,
      orgId,
      kind,
      eventName: fields.eventName,
      year: fields.year,
      semester: fields.semester,
      amount: fields.amount.toString(),
      evidence: fields.evidence,
      payeeAddress,
      ballotId,
      status: kind === EntryKind.DEPOSIT ? EntryStatus.PENDING : EntryStatus.VOTING,
      submittedBy,
      decidedBy: null,
      reason: null,
      createdAt: ctx.now(),
      decidedAt: null,
      paidAt: null,
    };
  }

  private async writeNewEntry(ctx: ClearbookContext, entry: LedgerEntry): Promise<void> {
    await ctx.write(KeyType.ENTRY, [entry.entryId], entry);
    await ctx.write(KeyType.ENTRY_BY_ORG, [entry.orgId, entry.entryId], entry.entryId);
  }

  /** A PENDING deposit the caller may decide: a council member of its organization other than the submitter. */
  private async pendingDeposit(
    ctx: ClearbookContext,
    entryId: string,
  ): Promise<{ entry: LedgerEntry; caller: string }> {
    const caller = ctx.caller();
    const entry = await getEntry(ctx, parseId("entryId", entryId));
    if (entry.kind !== EntryKind.DEPOSIT) throw fail.badInput("entryId", `entry ${entry.entryId} is not a deposit`);
    await requireCouncil(ctx, entry.orgId, caller);
    if (entry.submittedBy === caller.userId) throw fail.forbidden("the submitter may not decide their own deposit");
    if (entry.status !== EntryStatus.PENDING)
      throw fail.conflict(`deposit ${entry.entryId} is already ${entry.status}`);
    return { entry, caller: caller.userId };
  }
}
