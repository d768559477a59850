import type { IncomingMessage, ServerResponse } from "node:http";
import type { Clock } from "@clearbook/kit";
import type { EntityManager } from "@mikro-orm/mariadb";
import type { TokenKeys } from "../auth/token-keys.js";
import { EvidenceEntity } from "../db/evidence.entity.js";
import { booksCsv } from "../entries/csv-export.js";
import { booksOf } from "../entries/entry-query.js";
import type { EvidenceService } from "../evidence/evidence.service.js";

export interface LedgerRoutesDeps {
  keys: TokenKeys;
  evidence: EvidenceService;
  fork: () => EntityManager;
  clock: Clock;
}

const JWKS_PATH = "/.well-known/jwks.json";
const EVIDENCE = /^\/evidence\/([0-9a-f-]{36})$/;
const EXPORT = /^\/export\/([0-9a-f-]{36})\.csv$/;

function text(res: ServerResponse, status: number, body: string): true {
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8" });
  res.end(body);
  return true;
}

/**
 * The ledger's HTTP routes besides GraphQL (public, each checks its own credentials):
 * - `GET /.well-known/jwks.json`: the public keys the gateway verifies access tokens with;
 * - `PUT|GET /evidence/<id>?exp=&sig=`: signed, expiring upload and download of evidence files;
 * - `GET /export/<orgId>.csv?year=&semester=`: an organization's public books.
 */
export function createLedgerRoutes(deps: LedgerRoutesDeps) {
  return async (req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (path === JWKS_PATH && req.method === "GET") {
      res.writeHead(200, { "content-type": "application/json", "cache-control": "public, max-age=300" });
      res.end(JSON.stringify(deps.keys.jwks));
      return true;
    }
    const evidence = EVIDENCE.exec(path);
    if (evidence?.[1]) {
      const query = { exp: url.searchParams.get("exp"), sig: url.searchParams.get("sig") };
      if (req.method === "PUT") {
        const outcome = await deps.evidence.receive(deps.fork(), evidence[1], query, req.headers["content-type"], req);
        return outcome.ok ? text(res, 204, "") : text(res, outcome.status, outcome.message);
      }
      if (req.method === "GET") {
        const outcome = await deps.evidence.send(deps.fork(), evidence[1], query);
        if (!outcome.ok) return text(res, outcome.status, outcome.message);
        res.writeHead(200, {
          "content-type": outcome.contentType ?? "application/octet-stream",
          "content-disposition": "attachment",
          "x-content-type-options": "nosniff",
        });
        outcome.body?.pipe(res);
        return true;
      }
      return text(res, 405, "Use PUT or GET.");
    }
    const exported = EXPORT.exec(path);
    if (exported?.[1] && req.method === "GET") {
      const year = Number(url.searchParams.get("year") ?? new Date(deps.clock.now()).getUTCFullYear());
      const semesterParam = url.searchParams.get("semester");
      const semester = semesterParam === null ? null : Number(semesterParam);
      if (!Number.isInteger(year) || year < 2000 || year > 2100) return text(res, 400, "year must be 2000–2100");
      if (semester !== null && semester !== 1 && semester !== 2) return text(res, 400, "semester must be 1 or 2");
      const em = deps.fork();
      const entries = await booksOf(em, exported[1], year, semester);
      const ids = entries.flatMap((e) => e.evidenceIds);
      const files = ids.length ? await em.find(EvidenceEntity, { id: { $in: ids } }) : [];
      res.writeHead(200, {
        "content-type": "text/csv; charset=utf-8; header=present",
        "content-disposition": `attachment; filename="books-${exported[1]}-${year}${semester ? `-S${semester}` : ""}.csv"`,
      });
      res.end(booksCsv(entries, new Map(files.map((f) => [f.id, f.sha256]))));
      return true;
    }
    return false;
  };
}
