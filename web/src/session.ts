// The signed-in session: tokens kept in localStorage so every tab of the app shares one session, and a
// refresh done under a Web Lock, because refresh tokens rotate and a token reused by a second tab
// would revoke the whole session family (see docs/decisions/0341-web-session-and-silent-refresh.md).
import { LogOutMutation, RefreshSessionMutation } from "./operations.js";

export interface SessionUser {
  id: string;
  displayName: string;
}

export interface Session {
  accessToken: string;
  refreshToken: string;
  user: SessionUser;
}

const STORAGE_KEY = "clearbook.session";
/** Refresh this long before the access token expires. */
const REFRESH_MARGIN_MS = 60_000;

/** Seconds-since-epoch `exp` of a JWT, or 0 when it cannot be read. */
export function tokenExpiry(token: string): number {
  try {
    const payload = token.split(".")[1] ?? "";
    const json = JSON.parse(atob(payload.replace(/-/g, "+").replace(/_/g, "/")));
    return typeof json.exp === "number" ? json.exp : 0;
  } catch {
    return 0;
  }
}

function parseSession(raw: string | null): Session | null {
  if (!raw) return null;
  try {
    const value = JSON.parse(raw) as Partial<Session>;
    if (typeof value.accessToken === "string" && typeof value.refreshToken === "string" && value.user?.id) {
      return value as Session;
    }
  } catch {
    // A corrupted entry is treated as signed out.
  }
  return null;
}

type Hashed = { __meta__?: { hash?: string } };

/** The manifest id of a generated document (the gateway runs it by id; no document text is sent). */
export function documentId(document: unknown): string {
  const hash = (document as Hashed).__meta__?.hash;
  if (!hash) throw new Error("document has no persisted hash: run npm run codegen -w @clearbook/web");
  return hash.replace(/^sha256:/, "");
}

/** Runs a persisted operation over plain fetch (for the session calls, which the urql client depends on). */
async function persistedFetch<T>(document: unknown, variables: Record<string, unknown>, token?: string): Promise<T> {
  const res = await fetch("/graphql", {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({
      variables,
      extensions: { persistedQuery: { version: 1, sha256Hash: documentId(document) } },
    }),
  });
  const json = (await res.json()) as { data?: T; errors?: { extensions?: { code?: string } }[] };
  if (json.errors?.length || !json.data)
    throw new SessionError(json.errors?.[0]?.extensions?.code ?? "INTERNAL_SERVER_ERROR");
  return json.data;
}

export class SessionError extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

type Listener = (session: Session | null) => void;

/** The session shared by the app's tabs; `subscribe` hears every change, from this tab or another. */
export class SessionStore {
  private session: Session | null = parseSession(localStorage.getItem(STORAGE_KEY));
  private readonly listeners = new Set<Listener>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    window.addEventListener("storage", (event) => {
      if (event.key !== STORAGE_KEY) return;
      this.session = parseSession(event.newValue);
      this.emit();
    });
    this.schedule();
  }

  get current(): Session | null {
    return this.session;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stores a session from signUp, logIn or refreshSession. */
  set(session: Session | null): void {
    this.session = session;
    if (session) localStorage.setItem(STORAGE_KEY, JSON.stringify(session));
    else localStorage.removeItem(STORAGE_KEY);
    this.emit();
  }

  /**
   * Exchanges the refresh token for a new pair, once across tabs; signs out when it is refused.
   * @returns the session afterwards (null when signed out).
   */
  async refresh(): Promise<Session | null> {
    const run = async () => {
      // Another tab may have refreshed while this one waited for the lock.
      const stored = parseSession(localStorage.getItem(STORAGE_KEY));
      if (!stored) {
        this.set(null);
        return null;
      }
      if (tokenExpiry(stored.accessToken) * 1000 - Date.now() > REFRESH_MARGIN_MS) {
        if (stored.accessToken !== this.session?.accessToken) this.set(stored);
        return stored;
      }
      try {
        const data = await persistedFetch<{ refreshSession: Session }>(RefreshSessionMutation, {
          refreshToken: stored.refreshToken,
        });
        this.set(data.refreshSession);
        return data.refreshSession;
      } catch (error) {
        if (error instanceof SessionError && error.code === "UNAUTHENTICATED") this.set(null);
        return this.session;
      }
    };
    return navigator.locks ? navigator.locks.request("clearbook.session.refresh", run) : run();
  }

  /** Ends this device's session, or every device's; forgets the tokens either way. */
  async logOut(allDevices: boolean): Promise<void> {
    const session = this.session;
    if (session) {
      await persistedFetch(
        LogOutMutation,
        { refreshToken: session.refreshToken, allDevices },
        session.accessToken,
      ).catch(() => undefined);
    }
    this.set(null);
  }

  private emit(): void {
    this.schedule();
    for (const listener of this.listeners) listener(this.session);
  }

  private schedule(): void {
    clearTimeout(this.timer);
    if (!this.session) return;
    const due = tokenExpiry(this.session.accessToken) * 1000 - REFRESH_MARGIN_MS - Date.now();
    this.timer = setTimeout(() => void this.refresh(), Math.max(0, due));
  }
}
