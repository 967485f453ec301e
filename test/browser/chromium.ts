/**
 * Debian's chromium through playwright-core for the browser tests: offline (only 127.0.0.1 is reachable),
 * a throwaway profile, page errors collected, screenshots in test-results/.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium, type Page } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const ARTIFACTS = path.join(__dirname, "..", "..", "test-results");
const available = existsSync(CHROMIUM);

/** `describe`, skipped only on a developer machine without chromium; on CI (CI set) a missing browser fails the run. */
export function describeInChromium(name: string, body: () => void): void {
  if (!available && !process.env.CI) console.warn(`browser test skipped: no chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`);
  (available || process.env.CI ? describe : describe.skip)(`${name} in chromium (${CHROMIUM}${available ? "" : ": not installed"})`, body);
}

export interface Browser {
  page: Page;
  /** Errors the page threw. */
  pageErrors: string[];
  close(): Promise<void>;
}

export async function openChromium(): Promise<Browser> {
  const profile = mkdtempSync(path.join(tmpdir(), "emulator-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  // Nothing leaves the machine: card images on example.com hosts are refused, as they would be offline.
  await context.route(/^https?:\/\/(?!127\.0\.0\.1[:/])/, (route) => route.abort());
  // Playwright's own 30 s default would turn a saturated machine into a failure; jest's timeout reports a hang.
  context.setDefaultTimeout(0);
  const page = context.pages()[0] ?? (await context.newPage());
  const pageErrors: string[] = [];
  page.on("pageerror", (err) => pageErrors.push(err.message));
  mkdirSync(ARTIFACTS, { recursive: true });
  return {
    page,
    pageErrors,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
