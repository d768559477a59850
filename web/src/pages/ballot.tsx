import { useEffect, useState } from "react";
import { Link, useParams } from "react-router";
import { useMutation, useQuery, useSubscription } from "urql";
import { useMe, useSession } from "../app-context.js";
import { useI18n } from "../i18n.js";
import { BallotClosedSubscription, BallotQuery, CastVoteMutation, TallySubscription } from "../operations.js";
import { ErrorMessage, Money, StatusBadge, TxProgress } from "../ui.js";

function useNow(intervalMs: number): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

function countdown(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `${h}:${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}`;
}

/** A ballot with its live tally (public), and for eligible members their vote and its receipt. */
export function BallotPage() {
  const { ballotId = "" } = useParams();
  const { t, formatDate } = useI18n();
  const { session } = useSession();
  const { rolesIn } = useMe();
  const [{ data, error }, refetch] = useQuery({ query: BallotQuery, variables: { id: ballotId } });
  // The pushed tally lands on the same normalized VoteTally the query reads.
  useSubscription({ query: TallySubscription, variables: { ballotId } });
  const [vote, castVote] = useMutation(CastVoteMutation);
  const orgId = data?.ballot?.organization.id;
  // Finalization (at the close or early, once the outcome cannot change) comes as its own event.
  const [closed] = useSubscription({
    query: BallotClosedSubscription,
    variables: { orgId: orgId ?? "" },
    pause: !orgId,
  });
  useEffect(() => {
    if (closed.data?.ballotClosed.id === ballotId) refetch({ requestPolicy: "network-only" });
  }, [closed.data, ballotId, refetch]);
  const now = useNow(1000);
  const ballot = data?.ballot;
  const closesIn = ballot ? Date.parse(ballot.closesAt) - now : 0;
  const open = ballot?.status === "OPEN" && closesIn > 0;
  const windowEnded = ballot?.status === "OPEN" && closesIn <= 0;
  useEffect(() => {
    // When the window ends, read the finalized status.
    if (windowEnded) refetch({ requestPolicy: "network-only" });
  }, [windowEnded, refetch]);

  if (error) return <ErrorMessage error={error} />;
  if (!ballot) return <p>{t("common.loading")}</p>;
  const tally = ballot.tally;
  const cast = tally.approve + tally.reject;
  const share = (n: number) => (cast === 0 ? 0 : Math.round((n / cast) * 100));
  const canVote = Boolean(session) && rolesIn(ballot.organization.id).length > 0;
  return (
    <section aria-labelledby="ballot-title">
      <h1 id="ballot-title">
        {t("ballot.title")}: {ballot.entry.eventName}
      </h1>
      <p>
        <Link to={`/org/${ballot.organization.id}`}>{ballot.organization.name}</Link> ·{" "}
        <Money value={ballot.entry.amount} /> · {ballot.entry.submittedBy.displayName}
      </p>
      <p>
        <StatusBadge status={ballot.status} />{" "}
        {open ? (
          <span role="timer" aria-live="off" data-testid="countdown">
            {t("ballot.closesIn")} {countdown(closesIn)}
          </span>
        ) : ballot.status !== "OPEN" && closesIn > 0 ? (
          <span>{t("ballot.decidedEarly")}</span>
        ) : (
          <span>
            {t("ballot.closedAt")} {formatDate(ballot.closesAt)}
          </span>
        )}
      </p>
      <section aria-labelledby="tally-title" className="tally">
        <h2 id="tally-title">{t("ballot.tally")}</h2>
        <dl data-testid="tally" data-approve={tally.approve} data-reject={tally.reject} data-status={ballot.status}>
          <dt>{t("ballot.approve")}</dt>
          <dd>
            <meter min={0} max={100} value={share(tally.approve)} aria-label={t("ballot.approve")} /> {tally.approve}
          </dd>
          <dt>{t("ballot.reject")}</dt>
          <dd>
            <meter min={0} max={100} value={share(tally.reject)} aria-label={t("ballot.reject")} /> {tally.reject}
          </dd>
          <dt>{t("ballot.turnout")}</dt>
          <dd>
            {Math.round(tally.turnout * 100)}% ({cast}/{tally.eligible}) ·{" "}
            {tally.quorumReached
              ? t("ballot.quorumReached")
              : t("ballot.quorumNotReached", { quorum: Math.round(ballot.quorum * 100) })}
          </dd>
        </dl>
      </section>
      {canVote ? (
        <section aria-labelledby="my-vote">
          <h2 id="my-vote">{t("ballot.myVote")}</h2>
          <p data-testid="my-vote">
            {ballot.myVote ? t(`ballot.${ballot.myVote === "APPROVE" ? "approve" : "reject"}`) : t("ballot.notVoted")}
            {ballot.myVotePending ? ` (${t("status.PENDING")})` : ""}
          </p>
          {open ? (
            <div className="row">
              <button type="button" disabled={vote.fetching} onClick={() => castVote({ ballotId, choice: "APPROVE" })}>
                {t("ballot.voteApprove")}
              </button>
              <button
                type="button"
                className="secondary"
                disabled={vote.fetching}
                onClick={() => castVote({ ballotId, choice: "REJECT" })}
              >
                {t("ballot.voteReject")}
              </button>
            </div>
          ) : null}
          <ErrorMessage error={vote.error} />
          {vote.data?.castVote ? <TxProgress txId={vote.data.castVote.tx.txId} /> : null}
        </section>
      ) : session ? null : (
        <p>
          <Link to={`/login?next=/ballot/${ballotId}`}>{t("ballot.loginToVote")}</Link>
        </p>
      )}
      <p>
        <Link to={`/entry/${ballot.entry.id}`}>{t("entry.history")}</Link>
      </p>
    </section>
  );
}
