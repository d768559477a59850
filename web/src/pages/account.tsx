import { useState } from "react";
import { Link, useNavigate } from "react-router";
import { useMe, useSession } from "../app-context.js";
import { useI18n } from "../i18n.js";

/** The signed-in person: organizations and roles, this device's session, log out here or everywhere. */
export function AccountPage() {
  const { t, formatDate } = useI18n();
  const { store, session } = useSession();
  const { me } = useMe();
  const navigate = useNavigate();
  const [busy, setBusy] = useState(false);
  if (!session) {
    return (
      <p>
        <Link to="/login?next=/account">{t("auth.login")}</Link>
      </p>
    );
  }
  const logOut = async (allDevices: boolean) => {
    setBusy(true);
    await store.logOut(allDevices);
    navigate("/");
  };
  return (
    <section aria-labelledby="account-title">
      <h1 id="account-title">{session.user.displayName}</h1>
      <h2>{t("account.memberships")}</h2>
      <ul>
        {me?.memberships.map((m) => (
          <li key={m.organization.id}>
            <Link to={`/org/${m.organization.id}`}>{m.organization.name}</Link> ·{" "}
            {m.roles.map((r) => t(`role.${r}`)).join(", ")} · {t("account.since")} {formatDate(m.since)}
          </li>
        ))}
      </ul>
      {me && me.memberships.length === 0 ? <p>{t("account.noMemberships")}</p> : null}
      <h2>{t("account.devices")}</h2>
      <p>{t("account.thisDevice", { device: navigator.userAgent.slice(0, 60) })}</p>
      <div className="row">
        <button type="button" disabled={busy} onClick={() => void logOut(false)}>
          {t("auth.logout")}
        </button>
        <button type="button" className="secondary" disabled={busy} onClick={() => void logOut(true)}>
          {t("auth.logoutAll")}
        </button>
      </div>
    </section>
  );
}
