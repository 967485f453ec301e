/**
 * `npm run service:lockfile`: regenerates service/package-lock.json, the lockfile the container image
 * installs from. The service folder is built alone (docker context `service/`), so it carries its own
 * lockfile; its versions must equal the root's, which a test checks.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const serviceDir = path.join(__dirname, "..", "service");
const work = mkdtempSync(path.join(tmpdir(), "service-lock-"));
try {
  copyFileSync(path.join(serviceDir, "package.json"), path.join(work, "package.json"));
  execFileSync("npm", ["install", "--package-lock-only", "--ignore-scripts", "--no-audit", "--no-fund"], { cwd: work, stdio: "inherit" });
  copyFileSync(path.join(work, "package-lock.json"), path.join(serviceDir, "package-lock.json"));
  console.log("service/package-lock.json updated");
} finally {
  rmSync(work, { recursive: true, force: true });
}
