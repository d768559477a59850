import { Link } from "react-router";
import type { CombinedError } from "urql";
import { useQuery, useSubscription } from "urql";
import { type ErrorCode, errorCode } from "./error-codes.js";
import { type MessageKey, useI18n } from "./i18n.js";
import { ChainTransactionQuery, TransactionConfirmedSubscription } from "./operations.js";

/** A coded error as a human sentence in the page's language, announced to screen readers. */
export function ErrorMessage({ error, code }: { error?: CombinedError | null; code?: ErrorCode | null }) {
  const { t } = useI18n();
  const c = code ?? errorCode(error);
  if (!c) return null;
  const key = `error.${c}` as MessageKey;
  return (
    <p role="alert" className="error" data-code={c}>
      {t(key)}
    </p>
  );
}

export function Money({ value }: { value: string }) {
  const { formatMoney } = useI18n();
  return <span className="money">{formatMoney(value)}</span>;
}

export function StatusBadge({ status }: { status: string }) {
  const { t } = useI18n();
  return (
    <span className={`badge badge-${status.toLowerCase()}`} data-status={status}>
      {t(`status.${status}` as MessageKey)}
    </span>
  );
}

export function TxLink({ txId }: { txId: string }) {
  return (
    <Link to={`/explorer/tx/${txId}`} className="mono" title={txId}>
      {txId.slice(0, 12)}…
    </Link>
  );
}

/**
 * A transaction's status as it goes from PENDING to COMMITTED or REJECTED: read once, then pushed by the
 * `transactionConfirmed` subscription (Graphcache writes both onto the same ChainTransaction).
 */
export function TxProgress({ txId }: { txId: string }) {
  const { t } = useI18n();
  const [query] = useQuery({ query: ChainTransactionQuery, variables: { txId }, requestPolicy: "cache-and-network" });
  const [live] = useSubscription({ query: TransactionConfirmedSubscription, variables: { txId } });
  const tx = live.data?.transactionConfirmed ?? query.data?.chainTransaction;
  const status = tx?.status ?? "PENDING";
  return (
    <p className="tx-progress" aria-live="polite" data-tx-status={status}>
      {t("tx.label")} <TxLink txId={txId} /> <StatusBadge status={status} />
      {tx?.validationCode && tx.validationCode !== "VALID" ? ` (${tx.validationCode})` : null}
    </p>
  );
}
