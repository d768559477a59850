import { Link, useParams } from "react-router";
import { useQuery } from "urql";
import { useI18n } from "../i18n.js";
import { ChainTransactionQuery, ExplorerQuery, VerifyChainQuery } from "../operations.js";
import { ErrorMessage, StatusBadge, TxLink } from "../ui.js";

/** The last blocks and "verify the chain", which recomputes every hash on the server. */
export function ExplorerPage() {
  const { t } = useI18n();
  const [{ data, error }] = useQuery({
    query: ExplorerQuery,
    variables: { last: 10 },
    requestPolicy: "cache-and-network",
  });
  const [verify, runVerify] = useQuery({ query: VerifyChainQuery, pause: true, requestPolicy: "network-only" });
  const result = verify.data?.verifyChain;
  return (
    <section aria-labelledby="explorer-title">
      <h1 id="explorer-title">{t("explorer.title")}</h1>
      <button type="button" onClick={() => runVerify()} disabled={verify.fetching}>
        {t("explorer.verify")}
      </button>
      <ErrorMessage error={error ?? verify.error} />
      {result ? (
        <p role="status" data-testid="verify-result" data-ok={result.ok} className={result.ok ? "ok" : "error"}>
          {result.ok
            ? t("explorer.verified", { count: result.checkedBlocks })
            : t("explorer.broken", { count: result.checkedBlocks, block: result.firstBadBlock ?? "?" })}
        </p>
      ) : null}
      <ol className="blocks" reversed>
        {data?.blocks.map((b) => (
          <li key={b.number} className="card">
            <h2>
              {t("explorer.block")} #{b.number}
            </h2>
            <p className="mono wrap">
              {t("explorer.hash")}: {b.hash}
              <br />
              {t("explorer.previousHash")}: {b.previousHash}
            </p>
            <ul>
              {b.transactions.map((tx) => (
                <li key={tx.txId}>
                  <TxLink txId={tx.txId} /> {tx.function} <StatusBadge status={tx.status} />
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ol>
    </section>
  );
}

export function TransactionPage() {
  const { txId = "" } = useParams();
  const { t, formatDate } = useI18n();
  const [{ data, error, fetching }] = useQuery({ query: ChainTransactionQuery, variables: { txId } });
  const tx = data?.chainTransaction;
  if (error) return <ErrorMessage error={error} />;
  if (!tx) return <p>{fetching ? t("common.loading") : t("error.NOT_FOUND")}</p>;
  return (
    <section aria-labelledby="tx-title">
      <h1 id="tx-title">{t("tx.label")}</h1>
      <dl className="facts">
        <dt>ID</dt>
        <dd className="mono wrap">{tx.txId}</dd>
        <dt>{t("entry.status")}</dt>
        <dd>
          <StatusBadge status={tx.status} /> {tx.validationCode}
        </dd>
        <dt>{t("tx.function")}</dt>
        <dd>{tx.function}</dd>
        <dt>{t("tx.creator")}</dt>
        <dd className="mono wrap">{tx.creator}</dd>
        {tx.timestamp ? (
          <>
            <dt>{t("tx.time")}</dt>
            <dd>{formatDate(tx.timestamp)}</dd>
          </>
        ) : null}
        {tx.block ? (
          <>
            <dt>{t("explorer.block")}</dt>
            <dd>
              <Link to="/explorer">#{tx.block.number}</Link> <span className="mono">{tx.block.hash.slice(0, 16)}…</span>
            </dd>
          </>
        ) : null}
      </dl>
    </section>
  );
}
