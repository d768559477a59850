import { type CommandKeys, PermanentError, verifyCommandEntry } from "@clearbook/kit";

/**
 * What each command stream may ask of the signer (docs/decisions/0361): the services whose signed
 * entries it accepts and the transactions they may request. A service that is taken over can still
 * only ask for what its own stream allows; nobody can ask for an admin identity.
 */
export interface StreamPolicy {
  /** Services whose key may sign entries on this stream. */
  producers: readonly string[];
  /** Chain transactions (`<contract>:<Fn>`) this stream may request; `cmd:signer` requests none. */
  transactions: readonly string[];
}

export const STREAM_POLICIES: Readonly<Record<string, StreamPolicy>> = {
  // The ledger owns organizations, membership and the books.
  ledger: {
    producers: ["ledger"],
    transactions: [
      "org:CreateOrganization",
      "org:RequestMembership",
      "org:ApproveMembership",
      "org:GrantCouncil",
      "org:RevokeCouncil",
      "org:UpdateSettings",
      "ledger:SubmitDeposit",
      "ledger:ApproveDeposit",
      "ledger:RejectDeposit",
      "ledger:ProposeSpending",
    ],
  },
  voting: { producers: ["voting"], transactions: ["voting:CastVote", "voting:FinalizeBallot"] },
  wallet: { producers: ["wallet"], transactions: ["token:OpenAccount", "token:Mint", "token:Transfer"] },
  marketplace: {
    producers: ["marketplace"],
    transactions: ["token:LockEscrow", "token:ReleaseEscrow", "token:RefundEscrow"],
  },
  withdrawal: { producers: ["withdrawal"], transactions: ["token:BurnForWithdrawal", "token:PayoutSpending"] },
  // Enrollments: every service that acts for members asks for their identities.
  signer: { producers: ["ledger", "voting", "wallet", "marketplace", "withdrawal"], transactions: [] },
};

/** Every service that produces commands for the signer (each needs a key). */
export const COMMAND_PRODUCERS: readonly string[] = [
  ...new Set(Object.values(STREAM_POLICIES).flatMap((policy) => policy.producers)),
];

function policyOf(domain: string): StreamPolicy {
  const policy = STREAM_POLICIES[domain];
  if (!policy) throw new PermanentError(`FORBIDDEN: the signer accepts no commands on cmd:${domain}`);
  return policy;
}

/**
 * Verifies a raw `cmd:<domain>` entry: signed by a service allowed on this stream, with that service's key.
 * @throws PermanentError (`UNAUTHENTICATED` or `FORBIDDEN`): the entry is dead-lettered without an outcome,
 *   since whoever forged it must not decide what its command id's service is told.
 */
export function verifyStreamEntry(keys: CommandKeys, domain: string, fields: Record<string, string>): void {
  const policy = policyOf(domain);
  const service = verifyCommandEntry(keys, domain, fields);
  if (!policy.producers.includes(service)) {
    throw new PermanentError(`FORBIDDEN: service ${service} may not write cmd:${domain}`);
  }
}

/** @throws PermanentError (`FORBIDDEN`) when `transaction` is not on the stream's allowlist. */
export function checkTransactionAllowed(domain: string, transaction: string): void {
  if (!policyOf(domain).transactions.includes(transaction)) {
    throw new PermanentError(`FORBIDDEN: cmd:${domain} may not request ${transaction}`);
  }
}

/**
 * An enrollment a stream may ask for: a member (`user`), or the producing service's own identity
 * (`service:<producer>`, role `service`). Admin identities are issued by an operator, never from a stream.
 * @throws PermanentError (`FORBIDDEN`) otherwise.
 */
export function checkEnrollmentAllowed(request: { userId: string; role: string }, producer: string | undefined): void {
  if (request.role === "user" && !request.userId.startsWith("service:")) return;
  if (request.role === "service" && producer && request.userId === `service:${producer}`) return;
  throw new PermanentError(
    `FORBIDDEN: a stream may not enroll ${JSON.stringify(request.userId)} as ${request.role}` +
      (request.role === "admin" ? " (admin identities are enrolled by an operator)" : ""),
  );
}
