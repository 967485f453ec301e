// Builds the service into one file, dist/main.js (or $OUT_DIR/main.js): what the container image runs.
// A single bundle starts faster than thousands of module files (no resolution, no per-file reads) and
// needs no node_modules at run time. The licences of everything bundled go to THIRD_PARTY_LICENSES.txt.
"use strict";
const { buildSync } = require("esbuild");
const fs = require("node:fs");
const path = require("node:path");

const root = path.join(__dirname, "..");
const outDir = path.resolve(root, process.env.OUT_DIR || "dist");

const result = buildSync({
  entryPoints: [path.join(root, "src", "main.ts")],
  outfile: path.join(outDir, "main.js"),
  bundle: true,
  platform: "node",
  target: "node24",
  // No keepNames: it wraps every function and class, closures made per request included, in a call that redefines
  // its `name` (Object.defineProperty), about a tenth of a turn's CPU. Without it a function keeps its own name unless
  // esbuild had to rename it to avoid a clash in the one bundle scope (`parseDate8`): that shows in stack traces and
  // profiles only; nothing in the service or its packages reads such a name to decide anything.
  legalComments: "none",
  metafile: true,
  logLevel: "warning",
});

/** The package a bundled file belongs to: its directory under the last node_modules of its path. */
function packageDir(file) {
  const parts = file.split("/");
  const at = parts.lastIndexOf("node_modules");
  if (at < 0) return undefined;
  const width = parts[at + 1] && parts[at + 1].startsWith("@") ? 2 : 1;
  return parts.slice(0, at + 1 + width).join("/");
}

const packages = new Set();
for (const input of Object.keys(result.metafile.inputs)) {
  const dir = packageDir(path.relative(process.cwd(), path.resolve(input)).split(path.sep).join("/"));
  if (dir) packages.add(path.resolve(dir));
}
const notices = [...packages].sort().map((dir) => {
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
  const licenceFile = fs.readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
  const text = licenceFile ? fs.readFileSync(path.join(dir, licenceFile), "utf8").trim() : `License: ${manifest.license || "see the package"}`;
  return `${manifest.name}@${manifest.version}\n\n${text}\n`;
});
fs.writeFileSync(path.join(outDir, "THIRD_PARTY_LICENSES.txt"), notices.join("\n" + "-".repeat(72) + "\n\n"));
