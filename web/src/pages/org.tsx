import { useEffect, useState } from "react";
import { Link, useParams } from "react-router";
import { useMutation, useQuery, useSubscription } from "urql";
import { useMe, useSession } from "../app-context.js";
import { useI18n } from "../i18n.js";
import { useNotify } from "../notifications.js";
import {
  BallotClosedSubscription,
  EntryChangedSubscription,
  OpenBallotsQuery,
  OrganizationBooksQuery,
  RequestMembershipMutation,
} from "../operations.js";
import { ErrorMessage, Money, StatusBadge, TxLink, TxProgress } from "../ui.js";
import { CouncilPanel } from "./council.js";

const currentYear = new Date().getFullYear();

/** An organization's public books: treasury balance, entries by year and semester, open ballots. */
export function OrgPage() {
  const { orgId = "" } = useParams();
  const { t, formatDate } = useI18n();
  const { session } = useSession();
  const { me, rolesIn } = useMe();
  const [year, setYear] = useState<number | "">("");
  const [semester, setSemester] = useState<number | "">("");
  const filter = { ...(year !== "" ? { year } : {}), ...(semester !== "" ? { semester } : {}) };
  const [books, refetch] = useQuery({ query: OrganizationBooksQuery, variables: { orgId, filter } });
  const [ballots, refetchBallots] = useQuery({ query: OpenBallotsQuery, variables: { orgId } });
  const notify = useNotify();

  const [changed] = useSubscription({ query: EntryChangedSubscription, variables: { orgId } });
  const [closed] = useSubscription({ query: BallotClosedSubscription, variables: { orgId } });
  useEffect(() => {
    const entry = changed.data?.ledgerEntryChanged;
    if (!entry) return;
    if (entry.ballot?.status === "OPEN")
      notify(t("notify.ballotOpened", { name: entry.eventName }), `/ballot/${entry.ballot.id}`);
    refetch({ requestPolicy: "network-only" });
    refetchBallots({ requestPolicy: "network-only" });
  }, [changed.data, notify, t, refetch, refetchBallots]);
  useEffect(() => {
    const ballot = closed.data?.ballotClosed;
    if (!ballot) return;
    notify(
      t("notify.ballotClosed", { name: ballot.entry.eventName, status: t(`status.${ballot.status}`) }),
      `/ballot/${ballot.id}`,
    );
    refetch({ requestPolicy: "network-only" });
    refetchBallots({ requestPolicy: "network-only" });
  }, [closed.data, notify, t, refetch, refetchBallots]);

  const org = books.data?.organization;
  const roles = rolesIn(orgId);
  const isMember = roles.length > 0;
  const isCouncil = roles.includes("COUNCIL");
  const [request, requestMembership] = useMutation(RequestMembershipMutation);

  if (books.error) return <ErrorMessage error={books.error} />;
  if (!org) return <p>{books.fetching ? t("common.loading") : t("error.NOT_FOUND")}</p>;
  return (
    <section aria-labelledby="org-title">
      <h1 id="org-title">{org.name}</h1>
      <p className="balance">
        {t("org.treasury")}:{" "}
        <strong data-testid="treasury">
          <Money value={org.treasuryBalance} />
        </strong>
      </p>
      <nav className="actions" aria-label={t("org.actions")}>
        {isMember ? (
          <Link className="button" to={`/org/${orgId}/deposit`}>
            {t("deposit.new")}
          </Link>
        ) : null}
        {session && me && !isMember ? (
          <button
            type="button"
            disabled={request.fetching || Boolean(request.data)}
            onClick={() => requestMembership({ orgId })}
          >
            {t("org.requestMembership")}
          </button>
        ) : null}
      </nav>
      <ErrorMessage error={request.error} />
      {request.data?.requestMembership.tx ? (
        <>
          <p>{t("org.membershipRequested")}</p>
          <TxProgress txId={request.data.requestMembership.tx.txId} />
        </>
      ) : null}

      {ballots.data?.organization?.ballots.length ? (
        <section aria-labelledby="open-ballots">
          <h2 id="open-ballots">{t("ballot.open")}</h2>
          <ul className="cards">
            {ballots.data.organization.ballots.map((b) => (
              <li key={b.id} className="card">
                <Link to={`/ballot/${b.id}`}>{b.entry.eventName}</Link> · <Money value={b.entry.amount} /> ·{" "}
                {t("ballot.closesAt")} {formatDate(b.closesAt)} · {t("ballot.approve")} {b.tally.approve} /{" "}
                {t("ballot.reject")} {b.tally.reject}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {isCouncil ? <CouncilPanel orgId={orgId} /> : null}

      <section aria-labelledby="books-title">
        <h2 id="books-title">{t("org.books")}</h2>
        <form className="filters" onSubmit={(e) => e.preventDefault()}>
          <label>
            {t("org.year")}
            <select value={year} onChange={(e) => setYear(e.target.value ? Number(e.target.value) : "")}>
              <option value="">{t("common.all")}</option>
              {[currentYear, currentYear - 1, currentYear - 2].map((y) => (
                <option key={y} value={y}>
                  {y}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t("org.semester")}
            <select value={semester} onChange={(e) => setSemester(e.target.value ? Number(e.target.value) : "")}>
              <option value="">{t("common.all")}</option>
              <option value="1">1</option>
              <option value="2">2</option>
            </select>
          </label>
        </form>
        <p>{t("org.entryCount", { count: org.entries.totalCount })}</p>
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">{t("org.books")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("entry.kind")}</th>
                <th scope="col">{t("entry.event")}</th>
                <th scope="col">{t("entry.period")}</th>
                <th scope="col">{t("entry.amount")}</th>
                <th scope="col">{t("entry.status")}</th>
                <th scope="col">{t("entry.evidence")}</th>
                <th scope="col">{t("tx.label")}</th>
              </tr>
            </thead>
            <tbody>
              {org.entries.edges.map(({ node: e }) => (
                <tr key={e.id} data-entry={e.id}>
                  <td>{t(`kind.${e.kind}`)}</td>
                  <td>
                    <Link to={`/entry/${e.id}`}>{e.eventName}</Link>
                    <br />
                    <small>
                      {e.submittedBy.displayName} · {formatDate(e.createdAt)}
                    </small>
                  </td>
                  <td>
                    {e.year}-{e.semester}
                  </td>
                  <td className="num">
                    <Money value={e.amount} />
                  </td>
                  <td>
                    <StatusBadge status={e.status} />
                    {e.ballot ? (
                      <>
                        {" "}
                        <Link to={`/ballot/${e.ballot.id}`}>{t("ballot.link")}</Link>
                      </>
                    ) : null}
                  </td>
                  <td className="mono">
                    {e.evidence.map((ev) => (
                      <span key={ev.id} title={ev.sha256}>
                        {ev.sha256.slice(0, 10)}…
                      </span>
                    ))}
                  </td>
                  <td>{e.tx ? <TxLink txId={e.tx.txId} /> : null}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </section>
  );
}
