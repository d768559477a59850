// A small typed Clearbook partner client: persisted operations by id over HTTP, subscriptions over
// graphql-ws, errors as typed exceptions with their `extensions.code`. docs/partners.md explains each step.
//
// Run it against `npm start` (after `npm run partner-key -w @clearbook/gateway -- create demo ledger:read,voting:read`):
//   CLEARBOOK_API_KEY=cbk_… node --import tsx ops/examples/partner-client.ts [http://127.0.0.1:4000]
//   (with CLEARBOOK_ORG_ID=<an organization's id>)
// It prints the organization's ledger, then the confirmation of its newest transaction.
import { type Client, createClient } from "graphql-ws";

/** A registered (persisted) operation: its manifest id, and the types of its variables and result. */
export interface PersistedOperation<TData, TVariables> {
  readonly id: string;
  readonly name: string;
  /** Never set: carries the types only. */
  readonly types?: { data: TData; variables: TVariables };
}

/** An error the API returned; `code` is its `extensions.code` (see docs/api/errors.md). */
export class ClearbookError extends Error {
  override readonly name = "ClearbookError";
  constructor(
    readonly code: string,
    message: string,
    /** The HTTP status, or 0 over WebSocket. */
    readonly status: number,
    readonly retryAfterSeconds?: number,
  ) {
    super(`${code}: ${message}`);
  }
}

/** The result type of a persisted operation. */
export type Data<T> = T extends PersistedOperation<infer D, unknown> ? D : never;

interface GraphQLResponse<TData> {
  data?: TData | null;
  errors?: { message: string; extensions?: { code?: string; retryAfterSeconds?: number } }[];
  extensions?: { eventId?: string };
}

// Operations of gateway/persisted/manifest.json this client uses. Ids are the sha256 of the manifest's body.
export type Money = string;
export const OrganizationLedger: PersistedOperation<
  {
    organization: {
      id: string;
      name: string;
      treasuryBalance: Money;
      entries: {
        totalCount: number;
        edges: {
          node: {
            id: string;
            kind: "DEPOSIT" | "SPENDING";
            eventName: string;
            amount: Money;
            status: string;
            tx: { txId: string; status: "PENDING" | "COMMITTED" | "REJECTED" } | null;
          };
        }[];
      };
    } | null;
  },
  { orgId: string; year?: number; semester?: number; after?: string }
> = { id: "4ffe085b049dd22ea2946edb937d16e8ca949e9bbb32cb868c730616b60b328c", name: "OrganizationLedger" };

export const TxConfirmed: PersistedOperation<
  {
    transactionConfirmed: {
      txId: string;
      status: "PENDING" | "COMMITTED" | "REJECTED";
      validationCode: string | null;
      block: { number: number } | null;
    };
  },
  { txId: string }
> = { id: "bb5ccd0c38668f0018996643db818c817a1e6b4e6f8e3a26be3b213ae1bbe99c", name: "TxConfirmed" };

export interface PartnerClientOptions {
  /** The gateway's origin, e.g. https://clearbook.example */
  url: string;
  apiKey: string;
  /** Retries of RATE_LIMITED, INTERNAL_SERVER_ERROR and network failures (default 3). */
  retries?: number;
}

export interface PartnerClient {
  /**
   * Runs a persisted query or mutation by id over HTTP.
   * @returns the `data` of a response without errors.
   * @throws ClearbookError for any error in the response, after retrying the retryable ones.
   */
  execute<TData, TVariables>(operation: PersistedOperation<TData, TVariables>, variables: TVariables): Promise<TData>;
  /**
   * Subscribes to a persisted subscription by id over graphql-ws; `lastEventId` resumes after a push seen before.
   * @returns a function that ends the subscription.
   */
  subscribe<TData, TVariables>(
    operation: PersistedOperation<TData, TVariables>,
    variables: TVariables,
    sink: { next(data: TData, eventId?: string): void; error(error: Error): void },
    lastEventId?: string,
  ): () => void;
  dispose(): Promise<void>;
}

const RETRYABLE = new Set(["RATE_LIMITED", "INTERNAL_SERVER_ERROR"]);

export function createPartnerClient(options: PartnerClientOptions): PartnerClient {
  const endpoint = `${options.url.replace(/\/$/, "")}/graphql`;
  let ws: Client | null = null;
  const socket = () => {
    ws ??= createClient({
      url: endpoint.replace(/^http/, "ws"),
      connectionParams: { "x-api-key": options.apiKey },
      retryAttempts: 5,
    });
    return ws;
  };

  async function once<TData>(operationId: string, variables: unknown): Promise<TData> {
    const res = await fetch(endpoint, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": options.apiKey },
      body: JSON.stringify({ documentId: operationId, variables }),
      signal: AbortSignal.timeout(30_000),
    });
    const body = (await res.json()) as GraphQLResponse<TData>;
    const first = body.errors?.[0];
    if (first || !body.data) {
      const code = first?.extensions?.code ?? (res.status >= 500 ? "INTERNAL_SERVER_ERROR" : "BAD_REQUEST");
      const retryAfter = Number(res.headers.get("retry-after")) || first?.extensions?.retryAfterSeconds;
      throw new ClearbookError(code, first?.message ?? `HTTP ${res.status}`, res.status, retryAfter);
    }
    return body.data;
  }

  return {
    async execute(operation, variables) {
      const retries = options.retries ?? 3;
      for (let attempt = 0; ; attempt++) {
        try {
          return await once(operation.id, variables);
        } catch (error) {
          const code = error instanceof ClearbookError ? error.code : "NETWORK";
          if (attempt >= retries || !(RETRYABLE.has(code) || code === "NETWORK")) throw error;
          const wait = error instanceof ClearbookError && error.retryAfterSeconds ? error.retryAfterSeconds * 1000 : 0;
          await new Promise((resolve) => setTimeout(resolve, Math.max(wait, 250 * 2 ** attempt)));
        }
      }
    },
    subscribe<TData, TVariables>(
      operation: PersistedOperation<TData, TVariables>,
      variables: TVariables,
      sink: { next(data: TData, eventId?: string): void; error(error: Error): void },
      lastEventId?: string,
    ) {
      const payload = {
        query: "",
        documentId: operation.id,
        variables: variables as Record<string, unknown>,
        extensions: { lastEventId: lastEventId ?? null } as Record<string, unknown>,
      };
      return socket().subscribe<Record<string, unknown>>(payload, {
        next: (result) => {
          const eventId = (result.extensions as { eventId?: string } | undefined)?.eventId;
          // Keep the newest id in the payload: graphql-ws re-sends it when it reconnects, so nothing is missed.
          if (eventId) payload.extensions.lastEventId = eventId;
          const first = result.errors?.[0];
          if (first) sink.error(new ClearbookError(String(first.extensions?.code ?? "UNKNOWN"), first.message, 0));
          // The manifest's document fixes the shape of `data`: the operation's type says what it is.
          else if (result.data) sink.next(result.data as TData, eventId);
        },
        error: (error) => sink.error(error instanceof Error ? error : new Error(JSON.stringify(error))),
        complete: () => {},
      });
    },
    async dispose() {
      await ws?.dispose();
    },
  };
}

/** What the example run does: an organization's ledger, then the confirmation of its newest transaction. */
export async function demo(client: PartnerClient, orgId: string, timeoutMs = 20_000) {
  const ledger = await client.execute(OrganizationLedger, { orgId });
  const txId = ledger.organization?.entries.edges.find((e) => e.node.tx)?.node.tx?.txId;
  if (!txId) throw new Error("the organization has no transaction yet");
  const confirmed = await new Promise<Data<typeof TxConfirmed>["transactionConfirmed"]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no confirmation of ${txId} within ${timeoutMs} ms`)), timeoutMs);
    const stop = client.subscribe(
      TxConfirmed,
      { txId },
      {
        next: (data) => {
          if (data.transactionConfirmed.status === "PENDING") return;
          clearTimeout(timer);
          stop();
          resolve(data.transactionConfirmed);
        },
        error: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      },
      // Resume from the stream's start: a transaction that committed before we subscribed is pushed at once.
      "0-0",
    );
  });
  return { ledger, confirmed };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const apiKey = process.env.CLEARBOOK_API_KEY;
  if (!apiKey) throw new Error("set CLEARBOOK_API_KEY (npm run partner-key -w @clearbook/gateway -- create …)");
  const client = createPartnerClient({ url: process.argv[2] ?? "http://127.0.0.1:4000", apiKey });
  const orgId = process.env.CLEARBOOK_ORG_ID;
  try {
    if (!orgId) throw new Error("set CLEARBOOK_ORG_ID to an organization's id");
    const { ledger, confirmed } = await demo(client, orgId);
    console.log(JSON.stringify(ledger, null, 2));
    console.log(`transaction ${confirmed.txId}: ${confirmed.status} in block ${confirmed.block?.number}`);
  } finally {
    await client.dispose();
  }
}
