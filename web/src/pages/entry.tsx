import { Link, useParams } from "react-router";
import { useQuery } from "urql";
import { useI18n } from "../i18n.js";
import { LedgerEntryQuery } from "../operations.js";
import { ErrorMessage, Money, StatusBadge, TxLink } from "../ui.js";

/** One ledger entry: its evidence with hashes, and its history, each step with its transaction. */
export function EntryPage() {
  const { entryId = "" } = useParams();
  const { t, formatDate } = useI18n();
  const [{ data, error, fetching }] = useQuery({
    query: LedgerEntryQuery,
    variables: { id: entryId },
    requestPolicy: "cache-and-network",
  });
  const e = data?.ledgerEntry;
  if (error) return <ErrorMessage error={error} />;
  if (!e) return <p>{fetching ? t("common.loading") : t("error.NOT_FOUND")}</p>;
  return (
    <section aria-labelledby="entry-title">
      <h1 id="entry-title">{e.eventName}</h1>
      <dl className="facts">
        <dt>{t("entry.org")}</dt>
        <dd>
          <Link to={`/org/${e.organization.id}`}>{e.organization.name}</Link>
        </dd>
        <dt>{t("entry.kind")}</dt>
        <dd>{t(`kind.${e.kind}`)}</dd>
        <dt>{t("entry.amount")}</dt>
        <dd>
          <Money value={e.amount} />
        </dd>
        <dt>{t("entry.period")}</dt>
        <dd>
          {e.year}-{e.semester}
        </dd>
        <dt>{t("entry.status")}</dt>
        <dd data-testid="entry-status">
          <StatusBadge status={e.status} /> {e.reason ? `(${e.reason})` : null}
        </dd>
        {e.payeeAddress ? (
          <>
            <dt>{t("entry.payee")}</dt>
            <dd className="mono">{e.payeeAddress}</dd>
          </>
        ) : null}
        <dt>{t("entry.submittedBy")}</dt>
        <dd>{e.submittedBy.displayName}</dd>
        {e.decidedBy ? (
          <>
            <dt>{t("entry.decidedBy")}</dt>
            <dd>{e.decidedBy.displayName}</dd>
          </>
        ) : null}
        {e.ballot ? (
          <>
            <dt>{t("ballot.title")}</dt>
            <dd>
              <Link to={`/ballot/${e.ballot.id}`}>{t("ballot.link")}</Link> <StatusBadge status={e.ballot.status} />
            </dd>
          </>
        ) : null}
      </dl>
      <h2>{t("entry.evidence")}</h2>
      {e.evidence.length === 0 ? <p>{t("entry.noEvidence")}</p> : null}
      <ul>
        {e.evidence.map((ev) => (
          <li key={ev.id}>
            {ev.url ? <a href={ev.url}>{ev.fileName}</a> : ev.fileName} · {ev.size} B · SHA-256 <code>{ev.sha256}</code>
          </li>
        ))}
      </ul>
      <h2>{t("entry.history")}</h2>
      <ol className="timeline">
        {e.activity.map((a) => (
          <li key={`${a.at}-${a.action}`}>
            <time dateTime={a.at}>{formatDate(a.at)}</time> · {a.action}
            {a.actor ? ` · ${a.actor.displayName}` : ""}
            {a.tx ? (
              <>
                {" "}
                · <TxLink txId={a.tx.txId} /> <StatusBadge status={a.tx.status} />
              </>
            ) : null}
          </li>
        ))}
      </ol>
    </section>
  );
}
