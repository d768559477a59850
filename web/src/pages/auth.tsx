import { useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { useMutation } from "urql";
import { useSession } from "../app-context.js";
import { useI18n } from "../i18n.js";
import { LogInMutation, SignUpMutation } from "../operations.js";
import { ErrorMessage } from "../ui.js";

function useAfterLogin() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = params.get("next");
  // Only paths inside the app: never an absolute URL from the query string.
  return () => navigate(next?.startsWith("/") && !next.startsWith("//") ? next : "/");
}

export function LoginPage() {
  const { t } = useI18n();
  const { store } = useSession();
  const done = useAfterLogin();
  const [result, logIn] = useMutation(LogInMutation);
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    const res = await logIn({ email, password, deviceName: navigator.userAgent.slice(0, 60) });
    if (res.data) {
      store.set(res.data.logIn);
      done();
    }
  };
  return (
    <section aria-labelledby="login-title" className="narrow">
      <h1 id="login-title">{t("auth.login")}</h1>
      <form onSubmit={submit} className="form">
        <label>
          {t("auth.email")}
          <input
            type="email"
            name="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </label>
        <label>
          {t("auth.password")}
          <input
            type="password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        <button type="submit" disabled={result.fetching}>
          {t("auth.login")}
        </button>
      </form>
      <ErrorMessage error={result.error} />
      <p>
        {t("auth.noAccount")} <Link to="/signup">{t("auth.signup")}</Link>
      </p>
    </section>
  );
}

export function SignUpPage() {
  const { t } = useI18n();
  const { store } = useSession();
  const done = useAfterLogin();
  const [result, signUp] = useMutation(SignUpMutation);
  const [form, setForm] = useState({ email: "", password: "", displayName: "" });
  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    const res = await signUp({ input: form });
    if (res.data) {
      store.set(res.data.signUp);
      done();
    }
  };
  return (
    <section aria-labelledby="signup-title" className="narrow">
      <h1 id="signup-title">{t("auth.signup")}</h1>
      <form onSubmit={submit} className="form">
        <label>
          {t("auth.displayName")}
          <input
            name="displayName"
            autoComplete="nickname"
            required
            value={form.displayName}
            onChange={(e) => setForm({ ...form, displayName: e.target.value })}
          />
        </label>
        <label>
          {t("auth.email")}
          <input
            type="email"
            name="email"
            autoComplete="email"
            required
            value={form.email}
            onChange={(e) => setForm({ ...form, email: e.target.value })}
          />
        </label>
        <label>
          {t("auth.password")}
          <input
            type="password"
            name="password"
            autoComplete="new-password"
            required
            minLength={8}
            value={form.password}
            onChange={(e) => setForm({ ...form, password: e.target.value })}
          />
        </label>
        <button type="submit" disabled={result.fetching}>
          {t("auth.signup")}
        </button>
      </form>
      <ErrorMessage error={result.error} />
    </section>
  );
}
