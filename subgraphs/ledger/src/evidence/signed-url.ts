import { createHmac, timingSafeEqual } from "node:crypto";

export type UrlAction = "PUT" | "GET";

export interface SignedUrlSigner {
  /** @returns `<base>/evidence/<id>?exp=<s>&sig=<hmac>` for `action`, valid until `expSeconds`. */
  url(action: UrlAction, id: string, expSeconds: number): string;
  /** @returns true when `sig` was made by `url` for this action and id and has not expired. */
  verify(action: UrlAction, id: string, exp: string | null, sig: string | null, nowMs: number): boolean;
}

/**
 * HMAC-SHA256 signed, expiring evidence URLs. The action is part of the signed text, so a download
 * link cannot be replayed as an upload.
 */
export function createSignedUrls(options: { secret: string; publicUrl: string }): SignedUrlSigner {
  const mac = (action: UrlAction, id: string, exp: number) =>
    createHmac("sha256", options.secret).update(`${action}\n${id}\n${exp}`).digest();
  const base = options.publicUrl.replace(/\/+$/, "");
  return {
    url(action, id, expSeconds) {
      const sig = mac(action, id, expSeconds).toString("base64url");
      return `${base}/evidence/${encodeURIComponent(id)}?exp=${expSeconds}&sig=${sig}`;
    },
    verify(action, id, exp, sig, nowMs) {
      if (!exp || !sig || !/^\d{1,12}$/.test(exp)) return false;
      const expSeconds = Number(exp);
      if (expSeconds * 1000 < nowMs) return false;
      const given = Buffer.from(sig, "base64url");
      const expected = mac(action, id, expSeconds);
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
  };
}
