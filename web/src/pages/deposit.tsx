import { useState } from "react";
import { Link, useParams } from "react-router";
import { useMutation } from "urql";
import type { ErrorCode } from "../error-codes.js";
import { useI18n } from "../i18n.js";
import { parseMoney } from "../money.js";
import { CreateEvidenceUploadMutation, SubmitDepositMutation } from "../operations.js";
import { ErrorMessage, StatusBadge, TxProgress } from "../ui.js";

/** The SHA-256 of a file as lowercase hex, computed in the browser (the ledger checks the upload against it). */
export async function sha256Hex(file: Blob): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", await file.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Signed upload URLs of local evidence point at the ledger's public origin, which the gateway serves
 * under /evidence/: the page uploads to its own origin so no CORS is involved. S3 URLs are used as given.
 */
function sameOriginUpload(url: string): string {
  const target = new URL(url, location.href);
  return target.pathname.startsWith("/evidence/") ? `${target.pathname}${target.search}` : target.href;
}

function upload(url: string, file: File, onProgress: (fraction: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("PUT", sameOriginUpload(url));
    xhr.setRequestHeader("content-type", file.type || "application/octet-stream");
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onload = () => (xhr.status < 300 ? resolve() : reject(new Error(`upload failed: ${xhr.status}`)));
    xhr.onerror = () => reject(new Error("upload failed"));
    xhr.send(file);
  });
}

export function DepositPage() {
  const { orgId = "" } = useParams();
  const { t } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [hash, setHash] = useState<string | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [form, setForm] = useState({ eventName: "", amount: "", year: new Date().getFullYear(), semester: 1 });
  const [code, setCode] = useState<ErrorCode | null>(null);
  const [idempotencyKey, setKey] = useState(() => crypto.randomUUID());
  const [uploadResult, createUpload] = useMutation(CreateEvidenceUploadMutation);
  const [result, submit] = useMutation(SubmitDepositMutation);

  const choose = async (chosen: File | null) => {
    setFile(chosen);
    setHash(null);
    setProgress(null);
    if (chosen) setHash(await sha256Hex(chosen));
  };

  const onSubmit = async (event: React.FormEvent) => {
    event.preventDefault();
    setCode(null);
    const amount = parseMoney(form.amount);
    if (amount === null || !form.eventName.trim()) return setCode("BAD_USER_INPUT");
    const evidenceIds: string[] = [];
    if (file && hash) {
      const created = await createUpload({
        input: {
          fileName: file.name,
          contentType: file.type || "application/octet-stream",
          size: file.size,
          sha256: hash,
        },
      });
      const target = created.data?.createEvidenceUpload;
      if (!target) return;
      try {
        setProgress(0);
        await upload(target.uploadUrl, file, setProgress);
        setProgress(1);
      } catch {
        return setCode("INTERNAL_SERVER_ERROR");
      }
      evidenceIds.push(target.evidence.id);
    }
    const res = await submit({ input: { orgId, ...form, amount, evidenceIds, idempotencyKey } });
    if (res.data) setKey(crypto.randomUUID());
  };

  const entry = result.data?.submitDeposit;
  return (
    <section aria-labelledby="deposit-title">
      <h1 id="deposit-title">{t("deposit.new")}</h1>
      <form onSubmit={onSubmit} className="form">
        <label>
          {t("entry.event")}
          <input
            name="eventName"
            required
            value={form.eventName}
            onChange={(e) => setForm({ ...form, eventName: e.target.value })}
          />
        </label>
        <label>
          {t("entry.amount")}
          <input
            name="amount"
            required
            inputMode="decimal"
            value={form.amount}
            onChange={(e) => setForm({ ...form, amount: e.target.value })}
          />
        </label>
        <label>
          {t("org.year")}
          <input
            type="number"
            name="year"
            required
            value={form.year}
            onChange={(e) => setForm({ ...form, year: Number(e.target.value) })}
          />
        </label>
        <label>
          {t("org.semester")}
          <select
            name="semester"
            value={form.semester}
            onChange={(e) => setForm({ ...form, semester: Number(e.target.value) })}
          >
            <option value={1}>1</option>
            <option value={2}>2</option>
          </select>
        </label>
        <label>
          {t("deposit.receipt")}
          <input
            type="file"
            name="receipt"
            accept="image/*,application/pdf"
            onChange={(e) => void choose(e.target.files?.[0] ?? null)}
          />
        </label>
        {hash ? (
          <p>
            {t("deposit.sha256")}: <code data-testid="sha256">{hash}</code>
          </p>
        ) : null}
        {progress !== null ? (
          <label>
            {t("deposit.progress")}
            <progress max={1} value={progress} aria-valuetext={`${Math.round(progress * 100)}%`} />
          </label>
        ) : null}
        <button type="submit" disabled={result.fetching || uploadResult.fetching || (file !== null && hash === null)}>
          {t("deposit.submit")}
        </button>
      </form>
      {code ? <ErrorMessage code={code} /> : <ErrorMessage error={uploadResult.error ?? result.error} />}
      {entry ? (
        <div data-deposit={entry.id}>
          <p>
            {t("deposit.submitted")} <StatusBadge status={entry.status} />{" "}
            <Link to={`/entry/${entry.id}`}>{t("entry.history")}</Link>
          </p>
          {entry.tx ? <TxProgress txId={entry.tx.txId} /> : null}
        </div>
      ) : null}
    </section>
  );
}
