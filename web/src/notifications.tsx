import { createContext, type ReactNode, useCallback, useContext, useState } from "react";
import { Link } from "react-router";
import { useI18n } from "./i18n.js";

interface Notice {
  id: number;
  text: string;
  href?: string;
}

const NotifyContext = createContext<((text: string, href?: string) => void) | null>(null);

/** In-page notifications (a ballot opened or closed), announced politely to screen readers. */
export function NotificationsProvider({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const [notices, setNotices] = useState<Notice[]>([]);
  const notify = useCallback((text: string, href?: string) => {
    setNotices((list) => [...list.slice(-3), { id: Date.now() + Math.random(), text, ...(href ? { href } : {}) }]);
  }, []);
  return (
    <NotifyContext.Provider value={notify}>
      {children}
      <div className="notices" role="status" aria-live="polite">
        {notices.map((n) => (
          <div key={n.id} className="notice">
            {n.href ? <Link to={n.href}>{n.text}</Link> : n.text}
            <button
              type="button"
              aria-label={t("common.dismiss")}
              onClick={() => setNotices((list) => list.filter((x) => x.id !== n.id))}
            >
              ×
            </button>
          </div>
        ))}
      </div>
    </NotifyContext.Provider>
  );
}

export function useNotify(): (text: string, href?: string) => void {
  const notify = useContext(NotifyContext);
  if (!notify) throw new Error("useNotify outside NotificationsProvider");
  return notify;
}
