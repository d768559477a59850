import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// `npm run dev` serves the app on 5173 and forwards the API (HTTP and WebSocket) and evidence files to
// a gateway on 4000; the built app (dist/) is served by the gateway itself on one origin.
const gateway = process.env.CLEARBOOK_GATEWAY_URL ?? "http://127.0.0.1:4000";

export default defineConfig({
  plugins: [react()],
  build: { outDir: "dist", sourcemap: true, target: "es2022" },
  server: {
    proxy: {
      "/graphql": { target: gateway, ws: true },
      "/evidence": { target: gateway },
    },
  },
});
