import { Link } from "react-router";
import { useQuery } from "urql";
import { useI18n } from "../i18n.js";
import { OrganizationsQuery } from "../operations.js";
import { ErrorMessage, Money } from "../ui.js";

export function HomePage() {
  const { t } = useI18n();
  const [{ data, error, fetching }] = useQuery({ query: OrganizationsQuery });
  return (
    <section aria-labelledby="home-title">
      <h1 id="home-title">{t("home.title")}</h1>
      <p>{t("home.intro")}</p>
      <ErrorMessage error={error} />
      {fetching && !data ? <p>{t("common.loading")}</p> : null}
      <ul className="cards">
        {data?.organizations.map((org) => (
          <li key={org.id} className="card">
            <h2>
              <Link to={`/org/${org.id}`}>{org.name}</Link>
            </h2>
            <p>
              {t("org.treasury")}: <Money value={org.treasuryBalance} />
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}
