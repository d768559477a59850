import { useState } from "react";
import { useMutation, useQuery } from "urql";
import { useSession } from "../app-context.js";
import { useI18n } from "../i18n.js";
import { parseMoney } from "../money.js";
import {
  ApproveDepositMutation,
  ApproveMembershipMutation,
  MembershipRequestsQuery,
  OrganizationBooksQuery,
  ProposeSpendingMutation,
  RejectDepositMutation,
} from "../operations.js";
import { ErrorMessage, Money, TxProgress } from "../ui.js";

/** The council's work for one organization: deposits to decide, spending to propose, membership requests. */
export function CouncilPanel({ orgId }: { orgId: string }) {
  const { t } = useI18n();
  return (
    <section aria-labelledby="council-title" className="panel">
      <h2 id="council-title">{t("council.title")}</h2>
      <PendingDeposits orgId={orgId} />
      <ProposeSpending orgId={orgId} />
      <MembershipRequests orgId={orgId} />
    </section>
  );
}

function PendingDeposits({ orgId }: { orgId: string }) {
  const { t } = useI18n();
  const { session } = useSession();
  const [{ data }] = useQuery({
    query: OrganizationBooksQuery,
    variables: { orgId, filter: { kind: "DEPOSIT", status: "PENDING" } },
    requestPolicy: "cache-and-network",
  });
  const [approved, approve] = useMutation(ApproveDepositMutation);
  const [rejected, reject] = useMutation(RejectDepositMutation);
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const entries = data?.organization?.entries.edges.map((e) => e.node) ?? [];
  const decided = approved.data?.approveDeposit ?? rejected.data?.rejectDeposit;
  return (
    <section aria-labelledby="pending-deposits">
      <h3 id="pending-deposits">{t("council.pendingDeposits")}</h3>
      {entries.length === 0 ? <p>{t("council.nothingPending")}</p> : null}
      <ul className="cards">
        {entries.map((e) => (
          <li key={e.id} className="card" data-pending-deposit={e.id}>
            <strong>{e.eventName}</strong> · <Money value={e.amount} /> · {e.submittedBy.displayName}
            {e.submittedBy.id === session?.user.id ? (
              <p className="hint">{t("council.ownDeposit")}</p>
            ) : (
              <div className="row">
                <button type="button" disabled={approved.fetching} onClick={() => approve({ entryId: e.id })}>
                  {t("council.approve")}
                </button>
                <label>
                  {t("council.reason")}
                  <input
                    value={reasons[e.id] ?? ""}
                    onChange={(ev) => setReasons({ ...reasons, [e.id]: ev.target.value })}
                  />
                </label>
                <button
                  type="button"
                  className="secondary"
                  disabled={rejected.fetching}
                  onClick={() => reject({ entryId: e.id, reason: reasons[e.id] ?? "" })}
                >
                  {t("council.reject")}
                </button>
              </div>
            )}
          </li>
        ))}
      </ul>
      <ErrorMessage error={approved.error ?? rejected.error} />
      {decided?.tx ? <TxProgress txId={decided.tx.txId} /> : null}
    </section>
  );
}

function ProposeSpending({ orgId }: { orgId: string }) {
  const { t } = useI18n();
  const [result, propose] = useMutation(ProposeSpendingMutation);
  const [form, setForm] = useState({
    eventName: "",
    amount: "",
    payeeAddress: "",
    year: new Date().getFullYear(),
    semester: 1,
  });
  const [idempotencyKey, setKey] = useState(() => crypto.randomUUID());
  const [invalid, setInvalid] = useState(false);
  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    const amount = parseMoney(form.amount);
    setInvalid(amount === null);
    if (amount === null) return;
    const res = await propose({ input: { orgId, ...form, amount, evidenceIds: [], idempotencyKey } });
    if (res.data) setKey(crypto.randomUUID());
  };
  const created = result.data?.proposeSpending;
  return (
    <section aria-labelledby="propose-spending">
      <h3 id="propose-spending">{t("council.proposeSpending")}</h3>
      <form onSubmit={submit} className="form">
        <label>
          {t("entry.event")}
          <input
            required
            value={form.eventName}
            onChange={(e) => setForm({ ...form, eventName: e.target.value })}
            name="spendingEvent"
          />
        </label>
        <label>
          {t("entry.amount")}
          <input
            required
            inputMode="decimal"
            value={form.amount}
            onChange={(e) => setForm({ ...form, amount: e.target.value })}
            name="spendingAmount"
          />
        </label>
        <label>
          {t("entry.payee")}
          <input
            required
            value={form.payeeAddress}
            onChange={(e) => setForm({ ...form, payeeAddress: e.target.value })}
            name="payee"
          />
        </label>
        <label>
          {t("org.year")}
          <input
            type="number"
            required
            value={form.year}
            onChange={(e) => setForm({ ...form, year: Number(e.target.value) })}
          />
        </label>
        <label>
          {t("org.semester")}
          <select value={form.semester} onChange={(e) => setForm({ ...form, semester: Number(e.target.value) })}>
            <option value={1}>1</option>
            <option value={2}>2</option>
          </select>
        </label>
        <button type="submit" disabled={result.fetching}>
          {t("council.propose")}
        </button>
      </form>
      {invalid ? <ErrorMessage code="BAD_USER_INPUT" /> : <ErrorMessage error={result.error} />}
      {created?.tx ? (
        <div data-created-spending={created.id}>
          <TxProgress txId={created.tx.txId} />
        </div>
      ) : null}
    </section>
  );
}

function MembershipRequests({ orgId }: { orgId: string }) {
  const { t } = useI18n();
  const [{ data, error }] = useQuery({
    query: MembershipRequestsQuery,
    variables: { orgId },
    requestPolicy: "cache-and-network",
  });
  const [approved, approve] = useMutation(ApproveMembershipMutation);
  const pending = data?.membershipRequests.filter((r) => r.status === "PENDING") ?? [];
  return (
    <section aria-labelledby="membership-requests">
      <h3 id="membership-requests">{t("council.membershipRequests")}</h3>
      <ErrorMessage error={error ?? approved.error} />
      {pending.length === 0 ? <p>{t("council.nothingPending")}</p> : null}
      <ul className="cards">
        {pending.map((r) => (
          <li key={r.id} className="card">
            {r.user.displayName}{" "}
            <button type="button" disabled={approved.fetching} onClick={() => approve({ requestId: r.id })}>
              {t("council.approve")}
            </button>
          </li>
        ))}
      </ul>
      {approved.data?.approveMembership.tx ? <TxProgress txId={approved.data.approveMembership.tx.txId} /> : null}
    </section>
  );
}
