import { failureClass, signViewer, VIEWER_HEADER } from "@clearbook/kit";
import type { Dispatcher } from "undici";
import { anonymousPrincipal } from "./context.js";

const PROBE = '{"query":"{ __typename }"}';

/**
 * Asks a subgraph for `{ __typename }` as the anonymous gateway, for /ready.
 * @returns ok when it answers 200 with data within `timeoutMs`; never throws.
 */
export async function checkSubgraph(
  dispatcher: Dispatcher,
  name: string,
  url: string,
  internalSecret: string,
  timeoutMs = 2_000,
): Promise<{ ok: boolean; detail?: string }> {
  try {
    const target = new URL(url);
    const response = await dispatcher.request({
      origin: target.origin,
      path: `${target.pathname}${target.search}`,
      method: "POST",
      headers: {
        "content-type": "application/json",
        [VIEWER_HEADER]: signViewer({ ...anonymousPrincipal, rid: "gateway-ready" }, internalSecret, {
          binding: { audience: name, body: PROBE },
        }),
      },
      body: PROBE,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    const text = await response.body.text();
    if (response.statusCode !== 200) return { ok: false, detail: `HTTP ${response.statusCode}` };
    return text.includes('"__typename"') ? { ok: true } : { ok: false, detail: "unexpected answer" };
  } catch (error) {
    // A public probe: the failure's class, never its message (hosts, ports, URLs).
    return { ok: false, detail: failureClass(error) };
  }
}
