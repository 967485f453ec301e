/** Build contexts on disk for the image tests, and the arguments most tests start from. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** A small service-like build context in a fresh temporary directory. */
export function makeBuildContext(files: Record<string, string> = {}): { root: string; context: string; dockerfile: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "va-context-"));
  const context = path.join(root, "service");
  const all: Record<string, string> = {
    "Dockerfile": "FROM node:20-slim\nUSER node\nCOPY src /app/src\nCMD [\"node\", \"/app/src/main.js\"]\n",
    ".dockerignore": "node_modules\n**/*.test.ts\n",
    "src/main.js": "console.log('hello');\n",
    ...files,
  };
  for (const [rel, content] of Object.entries(all)) {
    const full = path.join(context, rel);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, content);
  }
  return { root, context, dockerfile: path.join(context, "Dockerfile") };
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** A verify token that must never appear outside the secret's own version. */
export const VERIFY_TOKEN = "vt-0123456789abcdef-never-in-plain-text";
