import { createContext, type ReactNode, useContext, useEffect, useMemo, useRef, useState } from "react";
import { Provider, useQuery } from "urql";
import { createAppClient } from "./client.js";
import { MeQuery } from "./operations.js";
import { type Session, SessionStore } from "./session.js";

interface SessionContextValue {
  store: SessionStore;
  session: Session | null;
}

const SessionContext = createContext<SessionContextValue | null>(null);

/** Holds the session and a GraphQL client per signed-in identity. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const store = useMemo(() => new SessionStore(), []);
  const [session, setSession] = useState(store.current);
  useEffect(() => store.subscribe(setSession), [store]);
  useEffect(() => {
    // Silent refresh at start: a stored session whose access token has expired is renewed at once.
    if (store.current) void store.refresh();
  }, [store]);
  const userId = session?.user.id ?? null;
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new client (and cache) per identity, not per token
  const app = useMemo(() => createAppClient(store), [store, userId]);
  // The previous identity's client (and its socket) closes when the next one takes over; not in an
  // effect cleanup, which StrictMode runs once on mount and would close the live client's socket.
  const previous = useRef(app);
  useEffect(() => {
    if (previous.current !== app) previous.current.dispose();
    previous.current = app;
  }, [app]);
  return (
    <SessionContext.Provider value={{ store, session }}>
      <Provider value={app.client}>{children}</Provider>
    </SessionContext.Provider>
  );
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error("useSession outside SessionProvider");
  return value;
}

/** The signed-in user's memberships and roles (nothing when anonymous). */
export function useMe() {
  const { session } = useSession();
  const [result] = useQuery({ query: MeQuery, pause: !session });
  const me = session ? (result.data?.me ?? null) : null;
  const rolesIn = (orgId: string) => me?.memberships.find((m) => m.organization.id === orgId)?.roles ?? [];
  return { me, fetching: result.fetching, rolesIn };
}
