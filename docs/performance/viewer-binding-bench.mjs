import { signViewer } from "../../subgraphs/kit/dist/src/viewer.js";

const v = { sub: "u1", roles: [], partner: null, rid: "r" };
const body = JSON.stringify({
  query: "query($id: ID!) { ledgerEntry(id: $id) { id eventName amount status evidence { sha256 } } }",
  variables: { id: "e1" },
});
for (const [name, opts] of [
  ["unbound", {}],
  ["bound", { binding: { audience: "ledger", body } }],
]) {
  for (let i = 0; i < 20000; i++) signViewer(v, "s".repeat(40), opts);
  const t = process.hrtime.bigint();
  const n = 200000;
  for (let i = 0; i < n; i++) signViewer(v, "s".repeat(40), opts);
  console.log(name, Number(process.hrtime.bigint() - t) / n / 1000, "µs per header");
}
