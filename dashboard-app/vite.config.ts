/// <reference types="vitest/config" />
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin as VitePlugin } from "vite";

// The shipped bundle lives inside the Python package (committed, served by the plugin).
const OUT_DIR = process.env.APP_OUT_DIR || "../saleor_segments/dashboard_app/static";

// macaw-ui's stylesheet declares 48 font files; the Dashboard's text needs Inter's upright
// 400-700 weights. The other @font-face rules are dropped, then the files nobody references.
const fewerFonts = {
  postcssPlugin: "segments-fewer-fonts",
  AtRule: {
    "font-face": (rule: { toString(): string; remove(): void }) => {
      const css = rule.toString().replace(/\s+/g, "");
      const keep = /font-family:Inter(;|})/.test(css) && /font-style:normal/.test(css) && /font-weight:(400|500|600|700)(;|})/.test(css);
      if (!keep) rule.remove();
    },
  },
};
const dropUnusedFonts: VitePlugin = {
  name: "segments-drop-unused-fonts",
  enforce: "post",
  generateBundle(_options, bundle) {
    const text = Object.values(bundle)
      .map((item) => (item.type === "chunk" ? item.code : item.fileName.endsWith(".css") ? String(item.source) : ""))
      .join("\n");
    for (const name of Object.keys(bundle)) {
      if (name.endsWith(".woff2") && !text.includes(name.split("/").pop()!)) delete bundle[name];
    }
  },
};

// `debug` (used by app-sdk) reads localStorage in browsers; the app keeps nothing there.
const quietDebug: VitePlugin = {
  name: "segments-quiet-debug",
  enforce: "pre",
  resolveId(id) {
    return id === "debug" ? fileURLToPath(new URL("./src/lib/debug-noop.ts", import.meta.url)) : null;
  },
};

export default defineConfig({
  base: "./",
  plugins: [quietDebug, react(), dropUnusedFonts],
  css: { postcss: { plugins: [fewerFonts] } },
  build: {
    outDir: OUT_DIR,
    emptyOutDir: true,
    sourcemap: false,
    assetsDir: "assets",
    chunkSizeWarningLimit: 1200,
  },
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
  },
});
