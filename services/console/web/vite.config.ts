import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

/** The staff console's page: built into ../dist/web, which the console serves at `/`. */
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "/",
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: {
    outDir: fileURLToPath(new URL("../dist/web", import.meta.url)),
    emptyOutDir: true,
    // No inline scripts or styles: the console's Content-Security-Policy allows its own files only.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
  },
  // `vite` in development: the API of a console running on its default port.
  server: { proxy: { "/api": "http://127.0.0.1:7110" } },
});
