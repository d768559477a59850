import { BrowserRouter, Link, NavLink, Route, Routes } from "react-router";
import { SessionProvider, useSession } from "./app-context.js";
import { I18nProvider, type Locale, useI18n } from "./i18n.js";
import { NotificationsProvider } from "./notifications.js";
import { AccountPage } from "./pages/account.js";
import { LoginPage, SignUpPage } from "./pages/auth.js";
import { BallotPage } from "./pages/ballot.js";
import { DepositPage } from "./pages/deposit.js";
import { EntryPage } from "./pages/entry.js";
import { ExplorerPage, TransactionPage } from "./pages/explorer.js";
import { HomePage } from "./pages/home.js";
import { OrgPage } from "./pages/org.js";

function Shell() {
  const { t, locale, setLocale } = useI18n();
  const { session } = useSession();
  return (
    <>
      <a className="skip-link" href="#main">
        {t("nav.skip")}
      </a>
      <header className="top">
        <Link to="/" className="brand">
          Clearbook
        </Link>
        <nav aria-label={t("nav.main")}>
          <NavLink to="/" end>
            {t("nav.home")}
          </NavLink>
          <NavLink to="/explorer">{t("nav.explorer")}</NavLink>
          {session ? (
            <NavLink to="/account">{t("nav.account")}</NavLink>
          ) : (
            <NavLink to="/login">{t("auth.login")}</NavLink>
          )}
        </nav>
        <label className="locale">
          <span className="visually-hidden">{t("nav.language")}</span>
          <select value={locale} onChange={(e) => setLocale(e.target.value as Locale)}>
            <option value="ko">한국어</option>
            <option value="en">English</option>
          </select>
        </label>
      </header>
      <main id="main" tabIndex={-1}>
        <Routes>
          <Route path="/" element={<HomePage />} />
          <Route path="/org/:orgId" element={<OrgPage />} />
          <Route path="/org/:orgId/deposit" element={<DepositPage />} />
          <Route path="/entry/:entryId" element={<EntryPage />} />
          <Route path="/ballot/:ballotId" element={<BallotPage />} />
          <Route path="/explorer" element={<ExplorerPage />} />
          <Route path="/explorer/tx/:txId" element={<TransactionPage />} />
          <Route path="/login" element={<LoginPage />} />
          <Route path="/signup" element={<SignUpPage />} />
          <Route path="/account" element={<AccountPage />} />
          <Route path="*" element={<p>{t("error.NOT_FOUND")}</p>} />
        </Routes>
      </main>
    </>
  );
}

export function App() {
  return (
    <BrowserRouter>
      <I18nProvider>
        <SessionProvider>
          <NotificationsProvider>
            <Shell />
          </NotificationsProvider>
        </SessionProvider>
      </I18nProvider>
    </BrowserRouter>
  );
}
